package dev.reflex.domain.policy;

import dev.reflex.domain.model.PatternOccurrence;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A pattern's (signature x playbook) decided occurrences as running totals, all that
 * {@link PatternEligibility} needs of them: stores keep these next to the occurrences and add to
 * them atomically, so a decision reads one item instead of the pattern's whole history.
 *
 * <p>They also hold the pattern's standing: its current run of failures and whether it is
 * disabled. A playbook that fails {@value #DISABLE_AFTER} times in a row for a signature is disabled
 * for that signature only (a catalog playbook serves many), until a person re-enables it; the
 * policy engine refuses a disabled pattern.
 *
 * @param reliabilitySum the sum of the occurrences' reliability scores (each 0 to 100)
 * @param outcomes occurrences whose outcome is known
 * @param successes of those, the successful ones
 * @param consecutiveFailures failures since the last success or re-enable, counted as outcomes
 *     arrive (an outcome that changes is not counted again)
 * @param disabledAt when the pattern was disabled; {@code null} while it is enabled
 */
public record PatternTotals(long occurrences, double reliabilitySum, long outcomes, long successes,
    long consecutiveFailures, Instant disabledAt) {

  /** Failures in a row after which a pattern is disabled. */
  public static final int DISABLE_AFTER = 3;

  public PatternTotals {
    if (occurrences < 0 || outcomes < 0 || successes < 0 || successes > outcomes || Double.isNaN(reliabilitySum)
        || consecutiveFailures < 0) {
      throw new IllegalArgumentException("inconsistent pattern totals: " + occurrences + " occurrences, "
          + outcomes + " outcomes, " + successes + " successes, reliability sum " + reliabilitySum + ", "
          + consecutiveFailures + " consecutive failures");
    }
  }

  /** Totals of an enabled pattern without a run of failures. */
  public PatternTotals(long occurrences, double reliabilitySum, long outcomes, long successes) {
    this(occurrences, reliabilitySum, outcomes, successes, 0, null);
  }

  public static PatternTotals none() {
    return new PatternTotals(0, 0, 0, 0);
  }

  /** These totals with the pattern's standing. */
  public PatternTotals withStanding(long failuresInARow, Instant disabledSince) {
    return new PatternTotals(occurrences, reliabilitySum, outcomes, successes, failuresInARow, disabledSince);
  }

  /** True while the pattern is disabled: the policy engine refuses it until a person re-enables it. */
  public boolean disabled() {
    return disabledAt != null;
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

  /**
   * How a person re-enables a playbook: for one signature, or (without one) as a whole; the
   * signature's characters ({@code [a-z0-9._-|]}) are safe inside single quotes.
   */
  public static String reenableCommand(String playbookId, dev.reflex.domain.model.Signature signature) {
    return "./reflex playbooks enable " + playbookId + (signature == null ? "" : " --signature '" + signature + "'")
        + " --reason TEXT";
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
