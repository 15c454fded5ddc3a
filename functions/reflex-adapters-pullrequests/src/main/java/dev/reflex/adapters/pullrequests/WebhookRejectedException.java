package dev.reflex.adapters.pullrequests;

import dev.reflex.domain.error.ReflexException;

/**
 * A webhook delivery failed authentication: its signature or token is missing or does not match
 * the configured secret (or the body was altered). The caller answers 401 and ignores the body.
 * The message never carries the secret or the received signature.
 */
public final class WebhookRejectedException extends ReflexException {

  public WebhookRejectedException(String message) {
    super(message);
  }
}
