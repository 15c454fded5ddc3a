package dev.reflex.adapters.pullrequests.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential back-off with full jitter: a random delay in [0, min(max, base * 2^(retry-1))). */
public record Backoff(Duration base, Duration max) {

  public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2));

  public Duration delay(int retry) {
    long ceiling = Math.min(max.toMillis(), base.toMillis() << Math.min(20, Math.max(0, retry - 1)));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(Math.max(1, ceiling)));
  }
}
