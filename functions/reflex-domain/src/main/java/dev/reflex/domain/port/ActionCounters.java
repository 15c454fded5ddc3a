package dev.reflex.domain.port;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The counters behind rate limits and cooldowns. A decision reads their {@link #usage} (with its
 * other evidence: {@link DecisionEvidence}), and only a plan the policy engine allows takes its
 * slots, with {@link #reserve}: every limit's slot and the cooldown together, or nothing.
 * Implementations: in memory (tests, one process) and DynamoDB (conditional {@code ADD}s in one
 * transaction, one item per window bucket, expired by TTL). Reserving is atomic: of N concurrent
 * reservations on a limit of L, exactly min(N, L) succeed.
 */
public interface ActionCounters {

  /** The slots' current use: one read, nothing taken. */
  Usage usage(Slots slots);

  /**
   * Takes {@link Slots#count} slots of every limit and starts the cooldown, all or nothing:
   * refused, nothing is taken, and the answer names the limit without room for them or the
   * cooldown that is running.
   */
  Reservation reserve(Slots slots);

  /**
   * At most {@code limit} actions per fixed window of {@code window} for {@code scope}/{@code key}
   * (e.g. {@code per_service}/{@code payment-api}). Windows are aligned on the epoch: an hour
   * window resets on the hour.
   */
  record Limit(String scope, String key, int limit, Duration window) {
    public Limit {
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(window, "window");
      if (limit < 0) {
        throw new IllegalArgumentException("limit cannot be negative: " + limit);
      }
    }

    /** When the window holding {@code now} ends. */
    public Instant resetsAt(Instant now) {
      return windowStart(now, window).plus(window);
    }
  }

  /** After an action on {@code key}, no other may start there for {@code duration}. */
  record Cooldown(String key, Duration duration) {
    public Cooldown {
      Objects.requireNonNull(key, "key");
      if (duration == null || duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("a cooldown must be positive: " + duration);
      }
    }
  }

  /**
   * What one reservation takes: {@code count} slots of each limit (all of them or none), and the
   * cooldown if any. A plan takes one slot; a pass of several write steps one per step, at once.
   *
   * @param cooldown {@code null} without a cooldown
   * @param count slots of each limit, at least 1
   */
  record Slots(List<Limit> limits, Cooldown cooldown, int count) {
    public Slots {
      limits = List.copyOf(limits);
      if (count < 1) {
        throw new IllegalArgumentException("a reservation takes at least one slot: " + count);
      }
    }

    /** One slot of each limit. */
    public Slots(List<Limit> limits, Cooldown cooldown) {
      this(limits, cooldown, 1);
    }

    public static Slots none() {
      return new Slots(List.of(), null);
    }

    public boolean isEmpty() {
      return limits.isEmpty() && cooldown == null;
    }
  }

  /**
   * The use of some slots at one moment.
   *
   * @param taken slots taken in each limit's current window (absent: none)
   * @param cooldownUntil when the cooldown ends; {@code null} when none was ever started
   */
  record Usage(Map<Limit, Integer> taken, Instant cooldownUntil) {
    public Usage {
      taken = Map.copyOf(taken);
    }

    public static Usage none() {
      return new Usage(Map.of(), null);
    }

    public int taken(Limit limit) {
      return taken.getOrDefault(limit, 0);
    }

    public boolean full(Limit limit) {
      return taken(limit) >= limit.limit();
    }

    public boolean coolingDown(Instant now) {
      return cooldownUntil != null && cooldownUntil.isAfter(now);
    }

    /** This use, with what a refused reservation found: the limit full, or the cooldown running. */
    public Usage with(Reservation refusal) {
      return switch (refusal) {
        case Reserved reserved -> this;
        case LimitReached reached -> {
          Map<Limit, Integer> more = new HashMap<>(taken);
          more.merge(reached.limit(), reached.limit().limit(), Math::max);
          yield new Usage(more, cooldownUntil);
        }
        case CoolingDown cooling -> new Usage(taken, cooling.until());
      };
    }
  }

  /** The answer to {@link #reserve}. */
  sealed interface Reservation permits Reserved, LimitReached, CoolingDown {}

  /** Every slot taken; {@code cooldownUntil} is when the started cooldown ends ({@code null}: none). */
  record Reserved(Instant cooldownUntil) implements Reservation {}

  /** Nothing taken: {@code limit} is full until {@code resetsAt}. */
  record LimitReached(Limit limit, Instant resetsAt) implements Reservation {
    public LimitReached {
      Objects.requireNonNull(limit, "limit");
      Objects.requireNonNull(resetsAt, "resetsAt");
    }
  }

  /** Nothing taken: the cooldown of {@code key} runs until {@code until}. */
  record CoolingDown(String key, Instant until) implements Reservation {
    public CoolingDown {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(until, "until");
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
