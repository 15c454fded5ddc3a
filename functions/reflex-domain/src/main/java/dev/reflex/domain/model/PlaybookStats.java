package dev.reflex.domain.model;

import java.time.Instant;

/**
 * What Reflex has learned about a playbook from its outcomes.
 *
 * <p>Invariants: confidence in [0, 1], rounded to four decimals so that repeated steps of 0.05
 * land on exact values (0.75 + 0.05 is 0.80, not 0.8000000000000002).
 */
public record PlaybookStats(
    double confidence, int successCount, int failureCount, int consecutiveFailures, Instant lastOutcomeAt) {

  public PlaybookStats {
    if (Double.isNaN(confidence) || confidence < 0 || confidence > 1) {
      throw new IllegalArgumentException("confidence must be within [0, 1]: " + confidence);
    }
    if (successCount < 0 || failureCount < 0 || consecutiveFailures < 0) {
      throw new IllegalArgumentException("outcome counts cannot be negative");
    }
    confidence = round(confidence);
  }

  public static PlaybookStats initial(double confidence) {
    return new PlaybookStats(confidence, 0, 0, 0, null);
  }

  public static double round(double value) {
    return Math.round(value * 10_000d) / 10_000d;
  }
}
