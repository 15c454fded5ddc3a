package dev.reflex.domain.policy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * When automatic (unapproved) writes may start: days of the week and a time range, in a time zone.
 * {@code from} is inclusive, {@code to} exclusive; a range whose {@code to} is before {@code from}
 * runs over midnight (22:00 to 06:00), and belongs to the day it starts on.
 */
public record AllowedHours(ZoneId zone, Set<DayOfWeek> days, LocalTime from, LocalTime to) {

  public AllowedHours {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (days == null || days.isEmpty()) {
      throw new IllegalArgumentException("allowed_hours.days needs at least one day");
    }
    days = Set.copyOf(EnumSet.copyOf(days));
    if (from.equals(to)) {
      throw new IllegalArgumentException("allowed_hours.from and to are equal: " + from);
    }
  }

  /** Every day, all day. */
  public static AllowedHours always(ZoneId zone) {
    return new AllowedHours(zone, EnumSet.allOf(DayOfWeek.class), LocalTime.MIN, LocalTime.MAX);
  }

  public boolean contains(Instant instant) {
    ZonedDateTime local = instant.atZone(zone);
    LocalTime time = local.toLocalTime();
    if (!from.isAfter(to)) {
      return days.contains(local.getDayOfWeek()) && !time.isBefore(from) && (time.isBefore(to) || to.equals(LocalTime.MAX));
    }
    // over midnight: the evening part belongs to today, the morning part to yesterday
    if (!time.isBefore(from)) {
      return days.contains(local.getDayOfWeek());
    }
    return time.isBefore(to) && days.contains(local.getDayOfWeek().minus(1));
  }

  /** The next instant at or after {@code instant} inside the window (searched minute by minute over 8 days). */
  public Instant nextOpening(Instant instant) {
    if (contains(instant)) {
      return instant;
    }
    ZonedDateTime candidate = instant.atZone(zone).withSecond(0).withNano(0).plusMinutes(1);
    for (int i = 0; i < 8 * 24 * 60; i++, candidate = candidate.plusMinutes(1)) {
      if (contains(candidate.toInstant())) {
        return candidate.toInstant();
      }
    }
    return instant;
  }

  @Override
  public String toString() {
    return days.stream().sorted().map(day -> day.name().substring(0, 3).toLowerCase(java.util.Locale.ROOT)).toList()
        + " " + from + "-" + (to.equals(LocalTime.MAX) ? "24:00" : to.toString()) + " " + zone;
  }
}
