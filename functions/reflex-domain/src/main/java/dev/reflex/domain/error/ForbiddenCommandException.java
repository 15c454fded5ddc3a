package dev.reflex.domain.error;

/** A step contains a command on the forbidden list. */
public class ForbiddenCommandException extends ReflexException {
  public ForbiddenCommandException(String message) {
    super(message);
  }
}
