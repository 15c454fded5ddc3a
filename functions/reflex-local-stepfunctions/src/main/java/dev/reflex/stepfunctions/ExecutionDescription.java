package dev.reflex.stepfunctions;

import java.time.Instant;

/** What DescribeExecution returns. {@code input} and {@code output} are JSON text; output, error, cause and stopDate are null until the execution ends. */
public record ExecutionDescription(
        String executionArn,
        String stateMachineName,
        String name,
        ExecutionStatus status,
        String input,
        String output,
        String error,
        String cause,
        Instant startDate,
        Instant stopDate) {}
