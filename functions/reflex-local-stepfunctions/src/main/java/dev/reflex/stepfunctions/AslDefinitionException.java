package dev.reflex.stepfunctions;

/**
 * The ASL definition is invalid or uses something this runtime does not support. The message names
 * the state and the field, e.g. {@code State "Request approval": field "Retry[0].ErrorEquals": States.ALL must appear alone}.
 */
public class AslDefinitionException extends RuntimeException {
    private final String stateName;
    private final String field;

    public AslDefinitionException(String stateName, String field, String problem) {
        super((stateName == null ? "State machine" : "State \"" + stateName + "\"")
                + (field == null ? "" : ": field \"" + field + "\"") + ": " + problem);
        this.stateName = stateName;
        this.field = field;
    }

    /** The offending state, or {@code null} for top-level problems. */
    public String stateName() { return stateName; }

    /** The offending field path within the state (e.g. {@code Retry[0].ErrorEquals}), or {@code null}. */
    public String field() { return field; }
}
