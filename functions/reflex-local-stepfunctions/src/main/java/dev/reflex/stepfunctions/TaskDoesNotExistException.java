package dev.reflex.stepfunctions;

/** Mirrors the Step Functions API error {@code TaskDoesNotExist}: the task token is unknown or was already used. */
public class TaskDoesNotExistException extends RuntimeException {
    public TaskDoesNotExistException(String message) {
        super(message);
    }
}
