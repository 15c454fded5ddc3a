package dev.reflex.stepfunctions.internal;

/** A Step Functions error raised while running a state: an error name and a cause, as Retry and Catch see them. */
public final class StateError extends Exception {
    public static final String ALL = "States.ALL";
    public static final String TASK_FAILED = "States.TaskFailed";
    public static final String TIMEOUT = "States.Timeout";
    public static final String RUNTIME = "States.Runtime";
    public static final String DATA_LIMIT = "States.DataLimitExceeded";
    public static final String RESULT_PATH = "States.ResultPathMatchFailure";
    public static final String PARAMETER_PATH = "States.ParameterPathFailure";
    public static final String NO_CHOICE = "States.NoChoiceMatched";
    public static final String INTRINSIC = "States.IntrinsicFailure";
    public static final String BRANCH_FAILED = "States.BranchFailed";
    public static final String PERMISSIONS = "States.Permissions";
    public static final String HEARTBEAT = "States.HeartbeatTimeout";
    public static final String ITEM_READER = "States.ItemReaderFailed";

    private final String error;
    private final String errorCause;

    public StateError(String error, String cause) {
        super(error + ": " + cause, null, false, false);
        this.error = error;
        this.errorCause = cause;
    }

    public String error() { return error; }

    public String errorCause() { return errorCause; }

    public static StateError runtime(String cause) {
        return new StateError(RUNTIME, cause);
    }

    public static StateError intrinsic(String cause) {
        return new StateError(INTRINSIC, cause);
    }
}
