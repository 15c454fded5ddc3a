package dev.reflex.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link Clock} tests move by hand; UTC, thread-safe. */
public final class MutableClock extends Clock {

  public static final Instant DEFAULT_START = Instant.parse("2025-03-14T09:26:53Z");

  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  public MutableClock(Instant start) {
    this(new AtomicReference<>(start), ZoneOffset.UTC);
  }

  public MutableClock() {
    this(DEFAULT_START);
  }

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  public MutableClock advance(Duration by) {
    now.updateAndGet(instant -> instant.plus(by));
    return this;
  }

  public MutableClock set(Instant instant) {
    now.set(instant);
    return this;
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId newZone) {
    return new MutableClock(now, newZone);
  }

  @Override
  public Instant instant() {
    return now.get();
  }
}
