package dev.reflex.stepfunctions;

/** Mirrors the Step Functions API error {@code InvalidExecutionInput}: the execution input is not JSON or exceeds 256 KiB. */
public class InvalidExecutionInputException extends RuntimeException {
    public InvalidExecutionInputException(String message) {
        super(message);
    }
}
