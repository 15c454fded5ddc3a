package dev.reflex.domain.service;

import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.policy.PatternTotals;
import dev.reflex.domain.port.OutcomeHistory;
import dev.reflex.domain.port.IncidentStore;
import dev.reflex.domain.port.PlaybookStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Learns from an execution's outcome. A remediation counts as a success only when it is
 * <em>verified</em>: every command succeeded and the triggering alert was then recorded as
 * resolved (the workflow waits, bounded, for Alertmanager's "resolved" notification before it
 * learns). Commands that all succeeded while the alert kept firing are a failure, with the reason
 * on the incident. An execution refused before anything ran (NOT_RUN: a hostile or missing
 * parameter) is not the playbook's fault and is not counted.
 *
 * <p>Success: one more success, confidence +0.05 (at most 0.95), consecutive failures reset,
 * incident RESOLVED. Failure: one more failure, confidence -0.10 (at least 0.50), consecutive
 * failures +1, incident FAILED (or left PARTIALLY_REMEDIATED) for a person to take over.
 *
 * <p>At {@value #DISABLE_AFTER} consecutive failures a playbook is disabled, whatever its
 * confidence (the confidence floor alone would keep an always-failing playbook eligible), until a
 * person re-enables it ({@link ReenablePlaybook}). With an {@link OutcomeHistory} (the policy
 * engine's tables) the outcome is recorded on the incident's pattern occurrence, the failures are
 * counted per pattern (signature x playbook), and the playbook is disabled <em>for that signature
 * only</em>: a catalog playbook that keeps failing for payment-api still serves orders-api.
 * Without one, the failures are counted per playbook and the whole playbook becomes DISABLED (the
 * fallback of the minimal built-in policy, which keeps no history).
 *
 * <p>Concurrent outcomes for one playbook are all counted: the update is re-read and re-applied on a
 * concurrent write, up to 10 times. Each incident is counted once: its timeline's {@code learn}
 * entry marks it done. (Should the process die between the playbook update and the incident
 * update, a retry would count that outcome twice; the window is one write wide.)
 */
public final class LearnFromOutcome {

  public static final String STAGE = "learn";
  public static final double SUCCESS_STEP = 0.05;
  public static final double FAILURE_STEP = 0.10;
  public static final double CEILING = 0.95;
  public static final double FLOOR = 0.50;
  public static final int DISABLE_AFTER = PatternTotals.DISABLE_AFTER;
  static final int ATTEMPTS = 10;

  private final IncidentStore incidents;
  private final PlaybookStore playbooks;
  private final OutcomeHistory history;
  private final Clock clock;

  public LearnFromOutcome(IncidentStore incidents, PlaybookStore playbooks, Clock clock) {
    this(incidents, playbooks, null, clock);
  }

  /**
   * @param history where pattern outcomes are recorded; {@code null} records none
   */
  public LearnFromOutcome(IncidentStore incidents, PlaybookStore playbooks, OutcomeHistory history, Clock clock) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.playbooks = Objects.requireNonNull(playbooks, "playbooks");
    this.history = history;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Incident learn(String incidentId) {
    Incident incident = Incidents.load(incidents, incidentId);
    if (incident.hasTimelineStage(STAGE)) {
      return incident;
    }
    ExecutionReport execution = incident.execution();
    if (execution == null) {
      throw new InvalidInputException("execution", "incident " + incidentId + " has no execution to learn from");
    }
    if (!execution.finished()) {
      throw new InvalidInputException("execution", "the execution of incident " + incidentId + " is still running");
    }
    Instant now = clock.instant();
    String playbookName = incident.playbookId() + "@" + incident.playbookVersion();
    String mode = execution.mode().name().toLowerCase(Locale.ROOT);
    if (execution.outcome() == ExecutionReport.Outcome.NOT_RUN) {
      return Incidents.modify(incidents, incidentId, current -> current.hasTimelineStage(STAGE) ? current
          : current.toBuilder()
              .status(current.status().terminal() ? current.status() : IncidentStatus.FAILED)
              .note(now, STAGE, "nothing ran, so " + playbookName + " is not judged: manual intervention needed")
              .build());
    }
    boolean verified = execution.success() && incident.alertResolvedAt() != null;
    String learned = record(incident.playbookId(), verified, now)
        .map(change -> "; confidence " + change)
        .orElse("; playbook " + incident.playbookId() + " no longer exists, outcome not recorded");
    if (history != null) {
      history.recordOutcome(incidentId, verified, now);
      if (!verified) {
        learned += disableForSignature(incident.signature(), incident.playbookId(), now);
      }
    }
    String message;
    if (verified) {
      message = "resolved by " + playbookName + ", execution " + mode + ", alert resolved at "
          + incident.alertResolvedAt() + learned;
    } else if (execution.success()) {
      message = "verification failed: every command of " + playbookName + " (" + mode + ") succeeded but the alert "
          + Incidents.clean(incident.alert().alertName(), 120) + " had not resolved when Reflex stopped waiting;"
          + " counted as a failure, manual intervention needed" + learned;
    } else {
      message = "execution of " + playbookName + " (" + mode + ") "
          + (execution.outcome() == ExecutionReport.Outcome.PARTIALLY_REMEDIATED ? "stopped part way" : "failed")
          + ": manual intervention needed" + learned;
    }
    return Incidents.modify(incidents, incidentId, current -> current.hasTimelineStage(STAGE) ? current
        : current.toBuilder()
            .status(verified ? IncidentStatus.RESOLVED
                : current.status() == IncidentStatus.PARTIALLY_REMEDIATED ? IncidentStatus.PARTIALLY_REMEDIATED
                    : IncidentStatus.FAILED)
            .note(now, STAGE, message)
            .build());
  }

  /** The playbook's confidence now, after what was learned. */
  public Optional<Double> confidenceOf(String playbookId) {
    return playbooks.find(playbookId).map(playbook -> playbook.stats().confidence());
  }

  /**
   * After a failure: disables the pattern when its run of failures has reached
   * {@value #DISABLE_AFTER}; what to note on the incident ("" when nothing changed).
   */
  private String disableForSignature(Signature signature, String playbookId, Instant now) {
    if (signature == null || playbookId == null) {
      return "";
    }
    PatternTotals totals = history.patternTotals(signature, playbookId);
    if (totals.disabled() || totals.consecutiveFailures() < DISABLE_AFTER
        || !history.disablePattern(signature, playbookId, now)) {
      return "";
    }
    return "; playbook " + playbookId + " disabled for signature " + signature + " after "
        + totals.consecutiveFailures() + " consecutive failures: a person must re-enable it ("
        + PatternTotals.reenableCommand(playbookId, signature) + "); other signatures may still use it";
  }

  /** Applies one outcome to the playbook's stats; the confidence change as "0.75 -> 0.80". */
  private Optional<String> record(String playbookId, boolean success, Instant now) {
    if (playbookId == null) {
      return Optional.empty();
    }
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<Playbook> found = playbooks.find(playbookId);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      Playbook playbook = found.get();
      PlaybookStats before = playbook.stats();
      PlaybookStats after = apply(before, success, now);
      Playbook next = playbook.withStats(after);
      // with a history, failures disable the pattern (disableForSignature), not the whole playbook
      boolean disable = history == null && !success && after.consecutiveFailures() >= DISABLE_AFTER
          && playbook.status() != PlaybookStatus.DISABLED;
      if (disable) {
        next = next.withStatus(PlaybookStatus.DISABLED);
      }
      try {
        playbooks.update(next);
        String change = String.format(Locale.ROOT, "%.2f -> %.2f", before.confidence(), after.confidence());
        return Optional.of(disable ? change + "; playbook " + playbookId + " DISABLED after "
            + after.consecutiveFailures() + " consecutive failures: a person must re-enable it ("
            + PatternTotals.reenableCommand(playbookId, null) + ")" : change);
      } catch (ConcurrentUpdateException e) {
        // another outcome landed first: read it and apply ours on top
      }
    }
    throw new ConcurrentUpdateException("playbook " + playbookId + " kept changing; outcome not recorded after "
        + ATTEMPTS + " attempts");
  }

  /** The stats after one outcome. */
  public static PlaybookStats apply(PlaybookStats stats, boolean success, Instant at) {
    double c = stats.confidence();
    if (success) {
      double next = c >= CEILING ? c : Math.min(c + SUCCESS_STEP, CEILING);
      return new PlaybookStats(next, stats.successCount() + 1, stats.failureCount(), 0, at);
    }
    double next = c <= FLOOR ? c : Math.max(c - FAILURE_STEP, FLOOR);
    return new PlaybookStats(next, stats.successCount(), stats.failureCount() + 1, stats.consecutiveFailures() + 1, at);
  }
}
