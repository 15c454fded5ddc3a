package dev.reflex.domain.error;

/**
 * A playbook parameter's value does not match its declared pattern. The message names the
 * parameter and the pattern; the offending value is not echoed (it may be hostile or secret).
 */
public class InvalidParameterException extends ReflexException {
  private final String parameter;

  public InvalidParameterException(String parameter, String message) {
    super(message);
    this.parameter = parameter;
  }

  public String parameter() {
    return parameter;
  }
}
