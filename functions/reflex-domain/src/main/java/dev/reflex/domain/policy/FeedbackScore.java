package dev.reflex.domain.policy;

import dev.reflex.domain.model.Feedback;
import java.time.Duration;
import java.time.Instant;

/**
 * One piece of feedback as the reliability score and pattern eligibility weigh it: when it was
 * recorded and what it was worth ({@link Feedback#value()}). Stores keep a pattern's scores
 * together, so a decision reads them with the rest of its evidence.
 *
 * @param at when it was recorded; {@code null} (not yet recorded) weighs as new
 * @param value in [0, 1]
 */
public record FeedbackScore(Instant at, double value) {

  public FeedbackScore {
    if (Double.isNaN(value) || value < 0 || value > 1) {
      throw new IllegalArgumentException("feedback value must be within [0, 1]: " + value);
    }
  }

  public static FeedbackScore of(Feedback feedback) {
    return new FeedbackScore(feedback.at(), feedback.value());
  }

  /** At least {@link Feedback#POSITIVE}, as {@link Feedback#positive()}. */
  public boolean positive() {
    return value >= Feedback.POSITIVE;
  }

  /** 1 when new, halved every {@link Feedback#HALF_LIFE}, as {@link Feedback#weightAt(Instant)}. */
  public double weightAt(Instant now) {
    if (at == null) {
      return 1;
    }
    double ageDays = Math.max(0, Duration.between(at, now).toMillis()) / 86_400_000d;
    return Math.pow(0.5, ageDays / Feedback.HALF_LIFE.toDays());
  }
}
