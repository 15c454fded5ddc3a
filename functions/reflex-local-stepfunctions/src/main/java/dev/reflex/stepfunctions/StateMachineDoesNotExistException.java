package dev.reflex.stepfunctions;

/** Mirrors the Step Functions API error {@code StateMachineDoesNotExist}: no state machine with this name is loaded. */
public class StateMachineDoesNotExistException extends RuntimeException {
    public StateMachineDoesNotExistException(String message) {
        super(message);
    }
}
