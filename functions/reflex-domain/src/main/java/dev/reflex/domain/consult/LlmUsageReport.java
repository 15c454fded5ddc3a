package dev.reflex.domain.consult;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What consultations cost over a period, per UTC day and per signature, and how many incidents
 * were served without any model call.
 *
 * @param truncated true when the period held more consultations than were read
 */
public record LlmUsageReport(
    Instant from,
    Instant to,
    Usage total,
    List<Day> perDay,
    List<PerSignature> perSignature,
    ServedWithoutCall servedWithoutCall,
    boolean truncated) {

  public LlmUsageReport {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(total, "total");
    perDay = List.copyOf(perDay);
    perSignature = List.copyOf(perSignature);
    Objects.requireNonNull(servedWithoutCall, "servedWithoutCall");
  }

  /**
   * Sums over a set of consultations.
   *
   * @param consultations every consultation recorded, with or without a model call
   * @param calls model calls (a consultation whose first answer was rejected makes two)
   * @param fallbacks consultations that fell back to the offline consultant
   * @param reused consultations answered with another incident's draft
   */
  public record Usage(long consultations, long calls, long inputTokens, long outputTokens, long cacheReadTokens,
      long cacheWriteTokens, long totalTokens, double costUsd, long fallbacks, long reused) {}

  public record Day(LocalDate day, Usage usage) {}

  public record PerSignature(String signature, Usage usage) {}

  /**
   * Incidents of the period that needed no model call.
   *
   * @param matched incidents a playbook matched (no consultation at all)
   * @param learned of those, matched by a learned playbook
   * @param catalog of those, matched by a catalog playbook
   * @param consultedWithoutCall incidents consulted without a model call (offline consultant or a
   *     reused draft)
   * @param incidentsConsidered how many of the period's most recent incidents were looked at
   */
  public record ServedWithoutCall(long matched, long learned, long catalog, long consultedWithoutCall,
      long incidentsConsidered) {}
}
