package dev.reflex.adapters.pullrequests;

import dev.reflex.domain.error.ReflexException;

/** An authenticated webhook delivery whose body is not the JSON event its headers announce. */
public final class MalformedWebhookException extends ReflexException {

  public MalformedWebhookException(String message) {
    super(message);
  }

  public MalformedWebhookException(String message, Throwable cause) {
    super(message, cause);
  }
}
