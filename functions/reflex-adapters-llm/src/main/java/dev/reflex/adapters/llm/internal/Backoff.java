package dev.reflex.adapters.llm.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential back-off with full jitter: a random delay in [0, min(max, base * 2^retry)). */
public record Backoff(Duration base, Duration max) {

  /** The delay before retry number {@code retry} (1 for the first retry). */
  public Duration delay(int retry) {
    long ceiling = Math.min(max.toMillis(), base.toMillis() << Math.min(20, Math.max(0, retry - 1)));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(Math.max(1, ceiling)));
  }

  /** The delay a server asked for ({@code Retry-After} seconds), capped at {@code max}. */
  public Duration serverDelay(String retryAfter, int retry) {
    if (retryAfter != null && retryAfter.strip().matches("\\d{1,5}")) {
      Duration asked = Duration.ofSeconds(Long.parseLong(retryAfter.strip()));
      return asked.compareTo(max) > 0 ? max : asked;
    }
    return delay(retry);
  }
}
