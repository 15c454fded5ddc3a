package dev.reflex.stepfunctions;

/** Mirrors the Step Functions API error {@code InvalidOutput}: the callback output is not JSON or exceeds 256 KiB. */
public class InvalidOutputException extends RuntimeException {
    public InvalidOutputException(String message) {
        super(message);
    }
}
