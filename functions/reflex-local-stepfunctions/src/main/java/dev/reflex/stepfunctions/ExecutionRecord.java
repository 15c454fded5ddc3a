package dev.reflex.stepfunctions;

import java.time.Instant;
import java.util.Objects;

/**
 * The durable state of one execution: the DescribeExecution fields plus {@code runtimeState}, the
 * immutable part owned by the runtime (current state and position of every active branch, state
 * input, retry counters, waiting token, timer due time, Parallel/Map progress). Stores keep it as
 * given, or as its {@linkplain RuntimeState#toJson() JSON}. {@code version} starts at 1 and grows by
 * one per update; it is the optimistic lock.
 */
public record ExecutionRecord(
        String executionArn,
        String stateMachineName,
        String name,
        ExecutionStatus status,
        String input,
        String output,
        String error,
        String cause,
        Instant startDate,
        Instant stopDate,
        RuntimeState runtimeState,
        long version) {

    public ExecutionRecord {
        Objects.requireNonNull(executionArn, "executionArn");
        Objects.requireNonNull(stateMachineName, "stateMachineName");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startDate, "startDate");
    }

    public ExecutionDescription describe() {
        return new ExecutionDescription(executionArn, stateMachineName, name, status, input, output, error, cause, startDate, stopDate);
    }
}
