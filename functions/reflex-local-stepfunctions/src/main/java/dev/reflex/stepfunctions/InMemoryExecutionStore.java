package dev.reflex.stepfunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@link ExecutionStore} in memory, for the embedded runtime and tests. Share one instance between
 * two {@link LocalStepFunctions} to simulate a process restart.
 *
 * <p>It keeps what it is given: records, runtime states and events are immutable, so nobody who reads
 * them can change what is stored. Reads do not lock; writes lock only the execution they change.
 */
public final class InMemoryExecutionStore implements ExecutionStore {
    private final ConcurrentMap<String, Execution> executions = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, TaskTokenRecord> tokens = new ConcurrentHashMap<>();

    /** One execution: its latest record and its history, appended under the execution's own lock. */
    private static final class Execution {
        volatile ExecutionRecord record;
        final List<HistoryEvent> history;

        Execution(ExecutionRecord record, List<HistoryEvent> events) {
            this.record = record;
            this.history = new ArrayList<>(events);
        }
    }

    @Override
    public boolean create(ExecutionRecord execution, List<HistoryEvent> events) {
        return executions.putIfAbsent(execution.executionArn(), new Execution(execution, events)) == null;
    }

    @Override
    public Optional<ExecutionRecord> find(String executionArn) {
        Execution e = executions.get(executionArn);
        return e == null ? Optional.empty() : Optional.of(e.record);
    }

    @Override
    public boolean update(ExecutionRecord execution, long expectedVersion, List<HistoryEvent> events) {
        Execution e = executions.get(execution.executionArn());
        if (e == null) {
            return false;
        }
        synchronized (e) {
            if (e.record.version() != expectedVersion) {
                return false;
            }
            e.history.addAll(events);
            e.record = execution;
            return true;
        }
    }

    @Override
    public List<HistoryEvent> history(String executionArn) {
        Execution e = executions.get(executionArn);
        if (e == null) {
            return List.of();
        }
        synchronized (e) {
            return List.copyOf(e.history);
        }
    }

    @Override
    public List<String> runningExecutions() {
        return executions.values().stream()
                .map(e -> e.record)
                .filter(r -> r.status() == ExecutionStatus.RUNNING)
                .map(ExecutionRecord::executionArn)
                .toList();
    }

    @Override
    public boolean putToken(TaskTokenRecord token) {
        return tokens.putIfAbsent(token.token(), token) == null;
    }

    @Override
    public Optional<TaskTokenRecord> findToken(String token) {
        return Optional.ofNullable(tokens.get(token));
    }

    @Override
    public boolean updateToken(TaskTokenRecord token, TokenStatus expectedStatus) {
        boolean[] updated = {false};
        tokens.computeIfPresent(token.token(), (key, current) -> {
            if (current.status() != expectedStatus) {
                return current;
            }
            updated[0] = true;
            return token;
        });
        return updated[0];
    }
}
