package dev.reflex.testkit;

import dev.reflex.domain.port.ActionCounters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Thread-safe in-memory {@link ActionCounters}: fixed windows aligned on the epoch, like the DynamoDB adapter. */
public final class InMemoryActionCounters implements ActionCounters {

  private final Clock clock;
  private final Map<String, Integer> counts = new HashMap<>();
  private final Map<String, Instant> cooldowns = new HashMap<>();

  public InMemoryActionCounters(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Result tryAcquire(String scope, String key, int limit, Duration window) {
    Instant start = ActionCounters.windowStart(clock.instant(), window);
    Instant resets = start.plus(window);
    String bucket = scope + "#" + key + "#" + start.toEpochMilli();
    int count = counts.getOrDefault(bucket, 0);
    if (count >= limit) {
      return new Refused(limit, resets);
    }
    counts.put(bucket, count + 1);
    return new Acquired(count + 1, resets);
  }

  @Override
  public synchronized Result tryStartCooldown(String key, Duration cooldown) {
    Instant now = clock.instant();
    Instant until = cooldowns.get(key);
    if (until != null && until.isAfter(now)) {
      return new Refused(1, until);
    }
    Instant next = now.plus(cooldown);
    cooldowns.put(key, next);
    return new Acquired(1, next);
  }

  /** Slots taken in the current window of {@code scope}/{@code key}. */
  public synchronized int count(String scope, String key, Duration window) {
    Instant start = ActionCounters.windowStart(clock.instant(), window);
    return counts.getOrDefault(scope + "#" + key + "#" + start.toEpochMilli(), 0);
  }
}
