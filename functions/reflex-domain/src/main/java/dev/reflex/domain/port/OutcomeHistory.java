package dev.reflex.domain.port;

import dev.reflex.domain.model.PatternOccurrence;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.policy.CategoryTotals;
import dev.reflex.domain.policy.PatternTotals;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Decided occurrences of each pattern (signature x playbook) and their outcomes: what pattern
 * eligibility and the category's success history are computed from. Besides the occurrences a
 * store keeps their totals per pattern and per category and day, updated with each occurrence, so
 * a decision reads totals ({@link #patternTotals}, {@link #categoryTotals}), never the history.
 * The pattern's totals also hold its standing (run of failures, disabled or not): a playbook that
 * keeps failing for one signature is disabled for that signature only ({@link PatternTotals}).
 */
public interface OutcomeHistory {

  /** Records a decided occurrence; recording the same incident again changes nothing. */
  void recordDecision(PatternOccurrence occurrence);

  /**
   * Sets the outcome of an incident's occurrence; nothing happens when none was recorded or when
   * the same outcome was recorded before. A first outcome also moves its pattern's run of failures,
   * atomically with the totals: a failure adds one, a success resets it to 0. An outcome that
   * changes (an incident judged again) leaves the run as it is, so no incident counts twice.
   */
  void recordOutcome(String incidentId, boolean success, Instant at);

  /**
   * Disables the pattern from {@code at}, unless it is disabled already (then its date stays).
   *
   * @return true when this call disabled it
   */
  boolean disablePattern(Signature signature, String playbookId, Instant at);

  /**
   * Enables a disabled pattern again, its run of failures back to 0.
   *
   * @return false when the pattern was not disabled (nothing changes)
   */
  boolean reenablePattern(Signature signature, String playbookId);

  List<PatternOccurrence> forPattern(Signature signature, String playbookId);

  /** Occurrences of a category (anomaly type) decided at or after {@code since}. */
  List<PatternOccurrence> forCategory(String category, Instant since);

  /**
   * The pattern's totals and standing; this default adds up {@link #forPattern} and knows no
   * standing (a store that disables patterns overrides it).
   */
  default PatternTotals patternTotals(Signature signature, String playbookId) {
    return PatternTotals.of(forPattern(signature, playbookId));
  }

  /**
   * The outcomes of the category's occurrences decided since the start of the UTC day of
   * {@code since} (totals are kept per day); this default adds up {@link #forCategory}.
   */
  default CategoryTotals categoryTotals(String category, Instant since) {
    Instant day = dayOf(since);
    return CategoryTotals.of(forCategory(category, day), day);
  }

  /** The start of the UTC day holding {@code instant}: the granularity of category totals. */
  static Instant dayOf(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
  }
}
