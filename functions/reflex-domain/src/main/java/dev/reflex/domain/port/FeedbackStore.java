package dev.reflex.domain.port;

import dev.reflex.domain.model.Feedback;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.policy.FeedbackScore;
import java.util.List;

/** Human feedback on incidents, append-only: feedback is never edited or deleted. */
public interface FeedbackStore {

  /**
   * Appends {@code feedback}; feedback bound to a pattern (signature and playbook) also joins that
   * pattern's {@link #scores}, atomically.
   */
  void append(Feedback feedback);

  /** Feedback on one incident, oldest first. */
  List<Feedback> forIncident(String incidentId);

  /** Feedback on incidents of this signature handled with this playbook, oldest first. */
  List<Feedback> forPattern(Signature signature, String playbookId);

  /**
   * The pattern's feedback as the reliability score weighs it, oldest first. A store that keeps
   * the scores together reads them at once; this default derives them from {@link #forPattern}.
   */
  default List<FeedbackScore> scores(Signature signature, String playbookId) {
    return forPattern(signature, playbookId).stream().map(FeedbackScore::of).toList();
  }
}
