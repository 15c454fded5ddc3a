package dev.reflex.domain.model;

import java.util.Locale;

/**
 * How far a plan can be trusted, 0 to 100, and where the number comes from:
 *
 * <ul>
 *   <li>25 points: the confidence of the match or of the consultant that proposed the plan;
 *   <li>30 points: human feedback on this playbook for this signature, recency-weighted;
 *   <li>25 points: success history of the category (anomaly type) over the last six months;
 *   <li>20 points: how closely the incident matches a known pattern (signature, type, similarity).
 * </ul>
 *
 * Missing evidence counts as zero, never as neutral: a plan earns its score. Each part is rounded
 * to two decimals and the total is their sum.
 */
public record ReliabilityScore(double total, Level level, double confidencePart, double feedbackPart,
    double historyPart, double patternPart) {

  public static final double CONFIDENCE_WEIGHT = 25;
  public static final double FEEDBACK_WEIGHT = 30;
  public static final double HISTORY_WEIGHT = 25;
  public static final double PATTERN_WEIGHT = 20;

  public ReliabilityScore {
    part(confidencePart, CONFIDENCE_WEIGHT, "confidencePart");
    part(feedbackPart, FEEDBACK_WEIGHT, "feedbackPart");
    part(historyPart, HISTORY_WEIGHT, "historyPart");
    part(patternPart, PATTERN_WEIGHT, "patternPart");
    double sum = round(confidencePart + feedbackPart + historyPart + patternPart);
    if (Math.abs(sum - total) > 0.011) {
      throw new IllegalArgumentException("total " + total + " is not the sum of its parts " + sum);
    }
    if (level != Level.of(total)) {
      throw new IllegalArgumentException("level " + level + " does not fit total " + total);
    }
  }

  /**
   * The score from four ratios, each in [0, 1]: confidence, feedback, history, pattern match.
   */
  public static ReliabilityScore of(double confidence, double feedback, double history, double pattern) {
    double c = round(CONFIDENCE_WEIGHT * ratio(confidence, "confidence"));
    double f = round(FEEDBACK_WEIGHT * ratio(feedback, "feedback"));
    double h = round(HISTORY_WEIGHT * ratio(history, "history"));
    double p = round(PATTERN_WEIGHT * ratio(pattern, "pattern"));
    double total = round(c + f + h + p);
    return new ReliabilityScore(total, Level.of(total), c, f, h, p);
  }

  /** "87.50 (high): confidence 23.75/25, feedback 27.00/30, history 20.00/25, pattern 16.75/20". */
  public String describe() {
    return String.format(Locale.ROOT, "%.2f (%s): confidence %.2f/25, feedback %.2f/30, history %.2f/25, pattern %.2f/20",
        total, level.wireName(), confidencePart, feedbackPart, historyPart, patternPart);
  }

  /** The seed's levels: very high at 90 or more, high at 75, medium at 60, else low. */
  public enum Level {
    LOW,
    MEDIUM,
    HIGH,
    VERY_HIGH;

    public static Level of(double total) {
      if (total >= 90) {
        return VERY_HIGH;
      }
      if (total >= 75) {
        return HIGH;
      }
      if (total >= 60) {
        return MEDIUM;
      }
      return LOW;
    }

    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  private static double ratio(double value, String what) {
    if (Double.isNaN(value) || value < 0 || value > 1) {
      throw new IllegalArgumentException(what + " must be within [0, 1]: " + value);
    }
    return value;
  }

  private static void part(double value, double max, String what) {
    if (Double.isNaN(value) || value < 0 || value > max) {
      throw new IllegalArgumentException(what + " must be within [0, " + (int) max + "]: " + value);
    }
  }

  private static double round(double value) {
    return Math.round(value * 100d) / 100d;
  }
}
