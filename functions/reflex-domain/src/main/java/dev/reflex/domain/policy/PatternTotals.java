package dev.reflex.domain.policy;

import dev.reflex.domain.model.PatternOccurrence;
import java.math.BigDecimal;
import java.util.List;

/**
 * A pattern's (signature x playbook) decided occurrences as running totals, all that
 * {@link PatternEligibility} needs of them: stores keep these next to the occurrences and add to
 * them atomically, so a decision reads one item instead of the pattern's whole history.
 *
 * @param reliabilitySum the sum of the occurrences' reliability scores (each 0 to 100)
 * @param outcomes occurrences whose outcome is known
 * @param successes of those, the successful ones
 */
public record PatternTotals(long occurrences, double reliabilitySum, long outcomes, long successes) {

  public PatternTotals {
    if (occurrences < 0 || outcomes < 0 || successes < 0 || successes > outcomes || Double.isNaN(reliabilitySum)) {
      throw new IllegalArgumentException("inconsistent pattern totals: " + occurrences + " occurrences, "
          + outcomes + " outcomes, " + successes + " successes, reliability sum " + reliabilitySum);
    }
  }

  public static PatternTotals none() {
    return new PatternTotals(0, 0, 0, 0);
  }

  /** The totals of these occurrences; reliabilities are summed as decimals, as a store adds them. */
  public static PatternTotals of(List<PatternOccurrence> occurrences) {
    BigDecimal sum = BigDecimal.ZERO;
    long outcomes = 0;
    long successes = 0;
    for (PatternOccurrence occurrence : occurrences) {
      sum = sum.add(BigDecimal.valueOf(occurrence.reliability()));
      if (occurrence.hasOutcome()) {
        outcomes++;
        successes += occurrence.success() ? 1 : 0;
      }
    }
    return new PatternTotals(occurrences.size(), sum.doubleValue(), outcomes, successes);
  }

  /** Mean reliability of the occurrences; 0 without any. */
  public double averageReliability() {
    return occurrences == 0 ? 0 : reliabilitySum / occurrences;
  }

  /** Share of successes among the known outcomes; 0 without any. */
  public double successRate() {
    return outcomes == 0 ? 0 : (double) successes / outcomes;
  }
}
