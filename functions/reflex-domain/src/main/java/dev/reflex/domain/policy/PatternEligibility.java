package dev.reflex.domain.policy;

import dev.reflex.domain.model.Feedback;
import dev.reflex.domain.model.PatternOccurrence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a pattern (signature x playbook) has earned execution without approval: at least
 * {@value #MIN_OCCURRENCES} decided occurrences, and at least 85% positive feedback, 85 average
 * reliability and 85% successful remediations. Remediations that ran after an approval count
 * towards success: otherwise no pattern could ever earn its first automatic run.
 *
 * <p>It carries the pattern's standing too: a pattern disabled after consecutive failures
 * ({@link PatternTotals#disabled()}) is not merely ineligible, the policy engine refuses it.
 *
 * @param shortfalls one line per unmet condition; empty when eligible
 * @param consecutiveFailures the pattern's current run of failures
 * @param disabledAt when the pattern was disabled; {@code null} while it is enabled
 */
public record PatternEligibility(int occurrences, double positiveFeedback, double averageReliability,
    double successRate, List<String> shortfalls, long consecutiveFailures, Instant disabledAt) {

  public static final int MIN_OCCURRENCES = 5;
  public static final double MIN_POSITIVE_FEEDBACK = 0.85;
  public static final double MIN_AVERAGE_RELIABILITY = 85;
  public static final double MIN_SUCCESS_RATE = 0.85;

  public PatternEligibility {
    shortfalls = List.copyOf(shortfalls);
  }

  public boolean eligible() {
    return shortfalls.isEmpty();
  }

  /** True when the pattern is disabled after consecutive failures until a person re-enables it. */
  public boolean disabled() {
    return disabledAt != null;
  }

  public static PatternEligibility of(List<PatternOccurrence> occurrences, List<Feedback> feedback) {
    return of(PatternTotals.of(occurrences), feedback.stream().map(FeedbackScore::of).toList());
  }

  /** From the evidence as stores keep it: the pattern's totals and its feedback scores. */
  public static PatternEligibility of(PatternTotals totals, List<FeedbackScore> feedback) {
    int count = Math.toIntExact(totals.occurrences());
    double positive = feedback.isEmpty() ? 0
        : (double) feedback.stream().filter(FeedbackScore::positive).count() / feedback.size();
    // a store sums the 2-decimal reliabilities exactly; rounding the mean keeps 85.00 at 85
    double reliability = Math.round(totals.averageReliability() * 1e6) / 1e6;
    double success = totals.successRate();
    long outcomes = totals.outcomes();
    List<String> shortfalls = new ArrayList<>();
    if (count < MIN_OCCURRENCES) {
      shortfalls.add(count + " occurrences < " + MIN_OCCURRENCES);
    }
    if (positive < MIN_POSITIVE_FEEDBACK) {
      shortfalls.add(String.format(Locale.ROOT, "positive feedback %.0f%% of %d < 85%%", positive * 100, feedback.size()));
    }
    if (reliability < MIN_AVERAGE_RELIABILITY) {
      shortfalls.add(String.format(Locale.ROOT, "average reliability %.1f < 85", reliability));
    }
    if (success < MIN_SUCCESS_RATE) {
      shortfalls.add(String.format(Locale.ROOT, "remediation success %.0f%% of %d < 85%%", success * 100, outcomes));
    }
    return new PatternEligibility(count, positive, reliability, success, shortfalls, totals.consecutiveFailures(),
        totals.disabledAt());
  }

  public String describe() {
    return String.format(Locale.ROOT, "%d occurrences, %.0f%% positive feedback, average reliability %.1f, "
        + "%.0f%% success", occurrences, positiveFeedback * 100, averageReliability, successRate * 100);
  }
}
