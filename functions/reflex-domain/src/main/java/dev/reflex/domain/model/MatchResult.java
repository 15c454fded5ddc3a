package dev.reflex.domain.model;

import java.util.Objects;

/**
 * The playbook chosen for an incident, and why.
 *
 * @param matched false when no candidate reached the threshold; the best candidate (if any) is
 *     still reported for the record
 */
public record MatchResult(
    boolean matched,
    String playbookId,
    String version,
    PlaybookSource source,
    double confidence,
    MatchedBy matchedBy,
    double threshold,
    int candidatesConsidered) {

  public enum MatchedBy {
    SIGNATURE,
    ANOMALY_TYPE,
    SIMILARITY,
    NONE
  }

  public MatchResult {
    Objects.requireNonNull(matchedBy, "matchedBy");
    confidence = PlaybookStats.round(confidence);
  }

  public static MatchResult none(double threshold, int candidatesConsidered) {
    return new MatchResult(false, null, null, null, 0, MatchedBy.NONE, threshold, candidatesConsidered);
  }
}
