package dev.reflex.stepfunctions;

/** Thrown by a {@link TaskHandler} to fail its task with an explicit error name and cause. */
public class TaskFailedException extends Exception {
    private final String error;
    private final String cause;

    public TaskFailedException(String error, String cause) {
        super(error + ": " + cause);
        this.error = error;
        this.cause = cause;
    }

    public String error() { return error; }

    public String errorCause() { return cause; }
}
