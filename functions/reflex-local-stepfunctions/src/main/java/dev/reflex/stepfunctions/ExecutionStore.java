package dev.reflex.stepfunctions;

import java.util.List;
import java.util.Optional;

/**
 * Durable home of executions, their history and their task tokens. Every state transition of the
 * runtime is one {@link #update} (record + the events it produced), so a restarted runtime resumes
 * from the last transition ({@link LocalStepFunctions#resume()}).
 *
 * <p>Adapter shape (e.g. DynamoDB): an execution is one item keyed by ARN; its history events are
 * items under the same partition key, sorted by event id; a token is an item keyed by token. Every
 * write that returns {@code boolean} is conditional and returns {@code false} when the condition
 * fails, never throws for it. {@link #update} should write the record and the events atomically
 * (a transaction), or the events first: event ids are assigned by the runtime and never reused.
 */
public interface ExecutionStore {

    /** Stores a new execution and its first events; {@code false} if the ARN already exists. */
    boolean create(ExecutionRecord execution, List<HistoryEvent> events);

    Optional<ExecutionRecord> find(String executionArn);

    /**
     * Replaces the execution if the stored version is {@code expectedVersion} (the new record carries
     * {@code expectedVersion + 1}) and appends {@code events}; {@code false} if the version differs.
     */
    boolean update(ExecutionRecord execution, long expectedVersion, List<HistoryEvent> events);

    /** All events of the execution in id order; empty if there is no such execution. */
    List<HistoryEvent> history(String executionArn);

    /** ARNs of executions whose status is RUNNING (a sparse index in DynamoDB). */
    List<String> runningExecutions();

    /** Stores a new token; {@code false} if it already exists. */
    boolean putToken(TaskTokenRecord token);

    Optional<TaskTokenRecord> findToken(String token);

    /** Replaces the token if its stored status is {@code expectedStatus}; {@code false} otherwise. */
    boolean updateToken(TaskTokenRecord token, TokenStatus expectedStatus);
}
