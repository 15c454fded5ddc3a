package dev.reflex.domain.port;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Atomic counters behind rate limits, cooldowns and circuit breakers. Implementations: in memory
 * (tests, one process) and DynamoDB ({@code UpdateItem ADD} conditioned on the limit, one item per
 * window bucket, expired by TTL). Every call is atomic: of N concurrent callers on a limit of L,
 * exactly min(N, L) are {@link Acquired}.
 */
public interface ActionCounters {

  /**
   * Takes one slot of {@code limit} in the current fixed window of {@code window} for
   * {@code scope}/{@code key} (e.g. {@code per_service}/{@code payment-api}). Windows are aligned on
   * the epoch: an hour window resets on the hour.
   */
  Result tryAcquire(String scope, String key, int limit, Duration window);

  /**
   * Starts a cooldown of {@code key} for {@code cooldown} unless one is running; refused with the
   * instant the running one ends.
   */
  Result tryStartCooldown(String key, Duration cooldown);

  /** The outcome of an attempt: acquired, or refused with the limit and when it resets. */
  sealed interface Result permits Acquired, Refused {}

  /** @param count the slots taken in this window, this one included */
  record Acquired(int count, Instant resetsAt) implements Result {
    public Acquired {
      Objects.requireNonNull(resetsAt, "resetsAt");
    }
  }

  record Refused(int limit, Instant resetsAt) implements Result {
    public Refused {
      Objects.requireNonNull(resetsAt, "resetsAt");
    }
  }

  /** The start of the fixed window of {@code window} holding {@code now}. */
  static Instant windowStart(Instant now, Duration window) {
    long size = window.toMillis();
    if (size <= 0) {
      throw new IllegalArgumentException("window must be positive: " + window);
    }
    return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), size) * size);
  }
}
