package dev.reflex.domain.port;

import dev.reflex.domain.model.Feedback;
import dev.reflex.domain.model.Signature;
import java.util.List;

/** Human feedback on incidents, append-only: feedback is never edited or deleted. */
public interface FeedbackStore {

  void append(Feedback feedback);

  /** Feedback on one incident, oldest first. */
  List<Feedback> forIncident(String incidentId);

  /** Feedback on incidents of this signature handled with this playbook, oldest first. */
  List<Feedback> forPattern(Signature signature, String playbookId);
}
