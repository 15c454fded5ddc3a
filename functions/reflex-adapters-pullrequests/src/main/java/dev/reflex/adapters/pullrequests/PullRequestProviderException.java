package dev.reflex.adapters.pullrequests;

import dev.reflex.domain.error.ReflexException;

/**
 * The hosting service failed or refused a pull-request call for a reason other than credentials
 * or rate limiting: a 4xx it explains (no commits between the branches, unknown branch, body too
 * long), 5xx after the retries, an unreadable answer or no connection. The message carries the
 * status and the provider's own message, truncated and without any token.
 */
public final class PullRequestProviderException extends ReflexException {

  private final String provider;
  private final int status;

  public PullRequestProviderException(String provider, int status, String detail) {
    this(provider, status, detail, null);
  }

  public PullRequestProviderException(String provider, int status, String detail, Throwable cause) {
    super(provider + " pull request call failed" + (status > 0 ? " (HTTP " + status + ")" : "")
        + (detail == null || detail.isBlank() ? "" : ": " + detail), cause);
    this.provider = provider;
    this.status = status;
  }

  public String provider() {
    return provider;
  }

  /** The HTTP status, 0 when no answer was received. */
  public int status() {
    return status;
  }
}
