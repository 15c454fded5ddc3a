package dev.reflex.adapters.pullrequests;

import dev.reflex.domain.error.ReflexException;

/**
 * The hosting service refused Reflex's credentials (HTTP 401, or 403 that is not rate limiting):
 * the token is missing, expired, revoked or lacks a permission. Retrying will not help; a person
 * must fix the token. The message names the provider and status, never the token.
 */
public final class PullRequestAuthException extends ReflexException {

  private final String provider;
  private final int status;

  public PullRequestAuthException(String provider, int status, String detail) {
    super(provider + " refused the credentials" + (status > 0 ? " (HTTP " + status + ")" : "")
        + (detail == null || detail.isBlank() ? "" : ": " + detail));
    this.provider = provider;
    this.status = status;
  }

  /** {@code github}, {@code gitlab} or {@code codecommit}. */
  public String provider() {
    return provider;
  }

  /** The HTTP status, 0 when none was received (a missing token is refused before any request). */
  public int status() {
    return status;
  }
}
