package dev.reflex.adapters.pullrequests;

import dev.reflex.domain.error.ReflexException;
import java.time.Instant;
import java.util.Objects;

/**
 * The hosting service is rate limiting Reflex (GitHub 403/429 with {@code x-ratelimit-remaining: 0}
 * or {@code retry-after}, GitLab 429, CodeCommit throttling). Nothing was changed by the refused
 * request; the same call may be made again at {@link #resetAt()}.
 */
public final class PullRequestRateLimitedException extends ReflexException {

  private final String provider;
  private final int status;
  private final Instant resetAt;

  /**
   * @param resetAt when the limit resets: from {@code x-ratelimit-reset}/{@code RateLimit-Reset},
   *     else now plus {@code retry-after}, else now plus one minute
   */
  public PullRequestRateLimitedException(String provider, int status, Instant resetAt, String detail) {
    super(provider + " rate limit reached (HTTP " + status + "), retry at " + resetAt
        + (detail == null || detail.isBlank() ? "" : ": " + detail));
    this.provider = provider;
    this.status = status;
    this.resetAt = Objects.requireNonNull(resetAt, "resetAt");
  }

  public String provider() {
    return provider;
  }

  public int status() {
    return status;
  }

  /** The earliest time the refused call is worth making again. */
  public Instant resetAt() {
    return resetAt;
  }
}
