package dev.reflex.adapters.aws;

import dev.reflex.domain.error.ReflexException;

/**
 * No rule of the targets mapping matches the incident: nothing is sent. The message names the
 * labels that were looked at, never their values (they come from an alert and may be hostile).
 */
public class TargetNotFoundException extends ReflexException {
  public TargetNotFoundException(String message) {
    super(message);
  }
}
