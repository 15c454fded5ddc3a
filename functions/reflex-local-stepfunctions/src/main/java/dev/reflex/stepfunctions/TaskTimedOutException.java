package dev.reflex.stepfunctions;

/** Mirrors the Step Functions API error {@code TaskTimedOut}: the task of this token timed out or was closed (branch cancelled, execution stopped). */
public class TaskTimedOutException extends RuntimeException {
    public TaskTimedOutException(String message) {
        super(message);
    }
}
