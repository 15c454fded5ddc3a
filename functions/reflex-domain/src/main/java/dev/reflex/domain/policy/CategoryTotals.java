package dev.reflex.domain.policy;

import dev.reflex.domain.model.PatternOccurrence;
import java.time.Instant;
import java.util.List;

/**
 * The known outcomes of a category's (anomaly type's) occurrences decided within the history
 * window, as totals: the reliability score's history part ({@link Reliability#history}).
 *
 * @param outcomes occurrences decided in the window whose outcome is known
 * @param successes of those, the successful ones
 */
public record CategoryTotals(long outcomes, long successes) {

  public CategoryTotals {
    if (outcomes < 0 || successes < 0 || successes > outcomes) {
      throw new IllegalArgumentException("inconsistent category totals: " + successes + " of " + outcomes);
    }
  }

  public static CategoryTotals none() {
    return new CategoryTotals(0, 0);
  }

  /** The outcomes of the occurrences decided at or after {@code since}. */
  public static CategoryTotals of(List<PatternOccurrence> occurrences, Instant since) {
    long outcomes = 0;
    long successes = 0;
    for (PatternOccurrence occurrence : occurrences) {
      if (occurrence.hasOutcome() && !occurrence.decidedAt().isBefore(since)) {
        outcomes++;
        successes += occurrence.success() ? 1 : 0;
      }
    }
    return new CategoryTotals(outcomes, successes);
  }

  /** Share of successes; 0 without outcomes. */
  public double successRate() {
    return outcomes == 0 ? 0 : (double) successes / outcomes;
  }
}
