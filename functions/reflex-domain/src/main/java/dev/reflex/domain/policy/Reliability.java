package dev.reflex.domain.policy;

import dev.reflex.domain.model.Feedback;
import dev.reflex.domain.model.MatchResult;
import dev.reflex.domain.model.PatternOccurrence;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.ReliabilityScore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Computes a {@link ReliabilityScore} from the evidence. Pure.
 *
 * <ul>
 *   <li>confidence: the match confidence when the incident matched this playbook, else the
 *       playbook's learned confidence (a consultant's draft starts from its initial confidence);
 *   <li>feedback: the recency-weighted mean {@link Feedback#value()} of the pattern's feedback
 *       ({@link Feedback#weightAt}); 0 without feedback;
 *   <li>history: the share of successful outcomes of the category over {@link #HISTORY_WINDOW}; 0
 *       without outcomes;
 *   <li>pattern: 1 for a match by exact signature, 0.8 by anomaly type, the text similarity for a
 *       similarity match, 0 for a plan nothing matched (a draft).
 * </ul>
 */
public final class Reliability {

  public static final Duration HISTORY_WINDOW = Duration.ofDays(182);
  public static final double ANOMALY_TYPE_MATCH = 0.8;

  private Reliability() {}

  public static ReliabilityScore score(Playbook playbook, MatchResult match, List<Feedback> feedback,
      List<PatternOccurrence> categoryHistory, Instant now) {
    return score(playbook, match, feedback.stream().map(FeedbackScore::of).toList(),
        CategoryTotals.of(categoryHistory, now.minus(HISTORY_WINDOW)), now);
  }

  /**
   * The score from the evidence as stores keep it: the pattern's feedback scores and the
   * category's outcome totals over the history window.
   */
  public static ReliabilityScore score(Playbook playbook, MatchResult match, List<FeedbackScore> feedback,
      CategoryTotals categoryHistory, Instant now) {
    boolean matchedThis = match != null && match.matched() && playbook.id().equals(match.playbookId());
    double confidence = matchedThis ? match.confidence() : playbook.stats().confidence();
    return ReliabilityScore.of(clamp(confidence), weightedFeedback(feedback, now), history(categoryHistory),
        matchedThis ? pattern(match, playbook) : 0);
  }

  /** Recency-weighted mean value of the feedback, in [0, 1]; 0 when there is none. */
  public static double feedback(List<Feedback> feedback, Instant now) {
    return weightedFeedback(feedback.stream().map(FeedbackScore::of).toList(), now);
  }

  /** Recency-weighted mean of the scores, in [0, 1]; 0 when there is none. */
  public static double weightedFeedback(List<FeedbackScore> scores, Instant now) {
    double weights = 0;
    double sum = 0;
    for (FeedbackScore item : scores) {
      double weight = item.weightAt(now);
      weights += weight;
      sum += weight * item.value();
    }
    return weights == 0 ? 0 : clamp(sum / weights);
  }

  /** Share of successes among the outcomes decided within {@link #HISTORY_WINDOW} before {@code now}. */
  public static double history(List<PatternOccurrence> occurrences, Instant now) {
    return history(CategoryTotals.of(occurrences, now.minus(HISTORY_WINDOW)));
  }

  /** Share of successes among the category's outcomes in the window; 0 without outcomes. */
  public static double history(CategoryTotals totals) {
    return totals.successRate();
  }

  static double pattern(MatchResult match, Playbook playbook) {
    return switch (match.matchedBy()) {
      case SIGNATURE -> 1;
      case ANOMALY_TYPE -> ANOMALY_TYPE_MATCH;
      // the matcher scores similarity as cosine x learned confidence: recover the cosine
      case SIMILARITY -> playbook.stats().confidence() == 0 ? 0
          : clamp(match.confidence() / playbook.stats().confidence());
      case NONE -> 0;
    };
  }

  private static double clamp(double value) {
    return Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, value));
  }
}
