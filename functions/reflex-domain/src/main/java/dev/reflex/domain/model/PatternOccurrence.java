package dev.reflex.domain.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One decided occurrence of a pattern (signature x playbook) and, once known, its outcome: the
 * history that pattern eligibility and the reliability score's history part are computed from.
 *
 * @param category the anomaly type
 * @param reliability the reliability score (0 to 100) at decision time
 * @param automatic true when the plan was allowed to run without approval
 * @param success the verified outcome; {@code null} until the incident is learned from (or when
 *     nothing ran)
 */
public record PatternOccurrence(
    String incidentId,
    Signature signature,
    String playbookId,
    String category,
    double reliability,
    boolean automatic,
    Instant decidedAt,
    Boolean success,
    Instant outcomeAt) {

  public PatternOccurrence {
    Objects.requireNonNull(incidentId, "incidentId");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(playbookId, "playbookId");
    category = Objects.requireNonNullElse(category, signature.anomalyType());
    Objects.requireNonNull(decidedAt, "decidedAt");
    if (Double.isNaN(reliability) || reliability < 0 || reliability > 100) {
      throw new IllegalArgumentException("reliability must be within [0, 100]: " + reliability);
    }
  }

  public PatternOccurrence withOutcome(boolean succeeded, Instant at) {
    return new PatternOccurrence(incidentId, signature, playbookId, category, reliability, automatic, decidedAt,
        succeeded, at);
  }

  public boolean hasOutcome() {
    return success != null;
  }
}
