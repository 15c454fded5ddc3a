package dev.reflex.stepfunctions;

/** Execution status, as DescribeExecution reports it. */
public enum ExecutionStatus {
    RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED;

    public boolean isFinished() { return this != RUNNING; }
}
