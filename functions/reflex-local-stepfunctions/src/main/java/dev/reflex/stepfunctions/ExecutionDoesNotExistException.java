package dev.reflex.stepfunctions;

/** Mirrors the Step Functions API error {@code ExecutionDoesNotExist}: no execution has this ARN. */
public class ExecutionDoesNotExistException extends RuntimeException {
    public ExecutionDoesNotExistException(String message) {
        super(message);
    }
}
