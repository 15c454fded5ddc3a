package dev.reflex.testkit;

import dev.reflex.domain.port.ActionCounters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Thread-safe in-memory {@link ActionCounters}: fixed windows aligned on the epoch, reservations
 * all or nothing, like the DynamoDB adapter.
 */
public final class InMemoryActionCounters implements ActionCounters {

  private final Clock clock;
  private final Map<String, Integer> counts = new HashMap<>();
  private final Map<String, Instant> cooldowns = new HashMap<>();
  private int reservations;

  public InMemoryActionCounters(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Usage usage(Slots slots) {
    Instant now = clock.instant();
    Map<Limit, Integer> taken = new HashMap<>();
    for (Limit limit : slots.limits()) {
      taken.put(limit, counts.getOrDefault(bucket(limit.scope(), limit.key(), limit.window(), now), 0));
    }
    return new Usage(taken, slots.cooldown() == null ? null : cooldowns.get(slots.cooldown().key()));
  }

  @Override
  public synchronized Reservation reserve(Slots slots) {
    reservations++;
    Instant now = clock.instant();
    for (Limit limit : slots.limits()) {
      if (counts.getOrDefault(bucket(limit.scope(), limit.key(), limit.window(), now), 0) + slots.count()
          > limit.limit()) {
        return new LimitReached(limit, limit.resetsAt(now));
      }
    }
    Cooldown cooldown = slots.cooldown();
    if (cooldown != null) {
      Instant until = cooldowns.get(cooldown.key());
      if (until != null && until.isAfter(now)) {
        return new CoolingDown(cooldown.key(), until);
      }
    }
    for (Limit limit : slots.limits()) {
      counts.merge(bucket(limit.scope(), limit.key(), limit.window(), now), slots.count(), Integer::sum);
    }
    if (cooldown == null) {
      return new Reserved(null);
    }
    Instant until = now.plus(cooldown.duration());
    cooldowns.put(cooldown.key(), until);
    return new Reserved(until);
  }

  /** Slots taken in the current window of {@code scope}/{@code key}. */
  public synchronized int count(String scope, String key, Duration window) {
    return counts.getOrDefault(bucket(scope, key, window, clock.instant()), 0);
  }

  /** How many reservations were attempted, taken or refused. */
  public synchronized int reservations() {
    return reservations;
  }

  private static String bucket(String scope, String key, Duration window, Instant now) {
    return scope + "#" + key + "#" + ActionCounters.windowStart(now, window).toEpochMilli();
  }
}
