package dev.reflex.stepfunctions;

/** Mirrors the Step Functions API error {@code InvalidName}: a state machine or execution name is empty, longer than 80 characters or contains forbidden characters. */
public class InvalidNameException extends IllegalArgumentException {
    public InvalidNameException(String message) {
        super(message);
    }
}
