package dev.reflex.domain.error;

/** A secret is missing; the message names it, never its value. */
public class SecretNotFoundException extends ReflexException {
  public SecretNotFoundException(String message) {
    super(message);
  }
}
