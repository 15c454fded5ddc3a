package dev.reflex.stepfunctions;

/** Mirrors the Step Functions API error {@code ExecutionAlreadyExists}: an execution with this name already exists for the state machine. */
public class ExecutionAlreadyExistsException extends RuntimeException {
    public ExecutionAlreadyExistsException(String message) {
        super(message);
    }
}
