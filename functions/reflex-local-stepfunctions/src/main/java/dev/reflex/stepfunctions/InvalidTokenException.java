package dev.reflex.stepfunctions;

/** Mirrors the Step Functions API error {@code InvalidToken}: the task token is malformed. */
public class InvalidTokenException extends RuntimeException {
    public InvalidTokenException(String message) {
        super(message);
    }
}
