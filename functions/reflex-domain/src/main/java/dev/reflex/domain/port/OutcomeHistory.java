package dev.reflex.domain.port;

import dev.reflex.domain.model.PatternOccurrence;
import dev.reflex.domain.model.Signature;
import java.time.Instant;
import java.util.List;

/**
 * Decided occurrences of each pattern (signature x playbook) and their outcomes: what pattern
 * eligibility and the category's success history are computed from.
 */
public interface OutcomeHistory {

  /** Records a decided occurrence; recording the same incident again changes nothing. */
  void recordDecision(PatternOccurrence occurrence);

  /** Sets the outcome of an incident's occurrence; nothing happens when none was recorded. */
  void recordOutcome(String incidentId, boolean success, Instant at);

  List<PatternOccurrence> forPattern(Signature signature, String playbookId);

  /** Occurrences of a category (anomaly type) decided at or after {@code since}. */
  List<PatternOccurrence> forCategory(String category, Instant since);
}
