package dev.reflex.domain.service;

import dev.reflex.domain.model.Decision;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.MatchResult;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.PatternOccurrence;
import dev.reflex.domain.model.ReliabilityScore;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.policy.PatternEligibility;
import dev.reflex.domain.policy.Policy;
import dev.reflex.domain.policy.PolicyEngine;
import dev.reflex.domain.policy.PolicyVerdict;
import dev.reflex.domain.policy.Reliability;
import dev.reflex.domain.policy.RemediationPolicy;
import dev.reflex.domain.port.ActionCounters;
import dev.reflex.domain.port.DecisionEvidence;
import dev.reflex.domain.port.FeedbackStore;
import dev.reflex.domain.port.IncidentStore;
import dev.reflex.domain.port.OutcomeHistory;
import dev.reflex.domain.port.PlaybookStore;
import dev.reflex.domain.port.PolicySource;
import dev.reflex.domain.risk.ForbiddenCommands;
import dev.reflex.domain.risk.RiskClassifier;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Judges an incident's playbook and records the decision; a refused plan makes the incident
 * REFUSED. The confidence judged is the match's when the incident matched this playbook, else the
 * playbook's learned confidence. Idempotent: a retry returns the recorded decision.
 *
 * <p>Two modes. With a {@link PolicySource} (the policy engine): the policy for the incident's
 * category and service is resolved from {@code policies/*.yml}; the playbook, the pattern's
 * feedback and totals, the category's outcome totals and the use of the rate limits are gathered
 * at once ({@link DecisionEvidence}); the plan is scored ({@link Reliability}) and judged by the
 * {@link PolicyEngine}; an allowed plan that writes reserves its rate-limit slots and cooldown,
 * all or nothing ({@link ActionCounters#reserve}), before the decision is recorded; and the
 * decided occurrence is recorded in the {@link OutcomeHistory}. With a {@link RemediationPolicy}
 * (the earlier, single policy): only auto-remediation and one confidence threshold.
 */
public final class DecideRemediation {

  /** How many hosts a plan acts on: its blast radius, judged against {@code max_targets}. */
  @FunctionalInterface
  public interface BlastRadius {
    int targets(Incident incident, Playbook playbook);

    /**
     * The comma-separated values of the alert label {@code reflex_targets}, else 1 (the alert's own
     * service).
     */
    static BlastRadius fromLabel() {
      return (incident, playbook) -> {
        String label = incident.alert().label(TARGETS_LABEL);
        if (label == null || label.isBlank()) {
          return 1;
        }
        return (int) java.util.Arrays.stream(label.split(",")).filter(part -> !part.isBlank()).count();
      };
    }
  }

  public static final String TARGETS_LABEL = "reflex_targets";

  private final IncidentStore incidents;
  private final PlaybookStore playbooks;
  private final RemediationPolicy policy;
  private final RiskClassifier classifier;
  private final ForbiddenCommands forbidden;
  private final Clock clock;
  private final PolicySource policies;
  private final PolicyEngine engine;
  private final ActionCounters counters;
  private final DecisionEvidence evidence;
  private final OutcomeHistory history;
  private final BlastRadius blastRadius;

  /** The earlier single-policy mode: auto-remediation on or off and one confidence threshold. */
  public DecideRemediation(IncidentStore incidents, PlaybookStore playbooks, RemediationPolicy policy,
      RiskClassifier classifier, ForbiddenCommands forbidden, Clock clock) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.playbooks = Objects.requireNonNull(playbooks, "playbooks");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.classifier = Objects.requireNonNull(classifier, "classifier");
    this.forbidden = Objects.requireNonNull(forbidden, "forbidden");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.policies = null;
    this.engine = null;
    this.counters = null;
    this.evidence = null;
    this.history = null;
    this.blastRadius = null;
  }

  /** The policy engine, with the blast radius read from the alert label {@value #TARGETS_LABEL}. */
  public DecideRemediation(IncidentStore incidents, PlaybookStore playbooks, PolicySource policies,
      RiskClassifier classifier, ForbiddenCommands forbidden, ActionCounters counters, FeedbackStore feedback,
      OutcomeHistory history, Clock clock) {
    this(incidents, playbooks, policies, classifier, forbidden, counters, feedback, history, BlastRadius.fromLabel(),
        clock);
  }

  /**
   * The policy engine, its evidence read from each port in turn ({@link DecisionEvidence#of}).
   *
   * @param forbidden the built-in forbidden commands; each policy's are added to them
   */
  public DecideRemediation(IncidentStore incidents, PlaybookStore playbooks, PolicySource policies,
      RiskClassifier classifier, ForbiddenCommands forbidden, ActionCounters counters, FeedbackStore feedback,
      OutcomeHistory history, BlastRadius blastRadius, Clock clock) {
    this(incidents, playbooks, policies, classifier, forbidden, counters, history,
        DecisionEvidence.of(playbooks, feedback, history, counters), blastRadius, clock);
  }

  /**
   * The policy engine, its evidence gathered by {@code evidence} (one round trip on a store that
   * reads across tables at once).
   *
   * @param forbidden the built-in forbidden commands; each policy's are added to them
   * @param counters where an allowed plan reserves its rate-limit slots and cooldown
   * @param history where the decided occurrence is recorded
   */
  public DecideRemediation(IncidentStore incidents, PlaybookStore playbooks, PolicySource policies,
      RiskClassifier classifier, ForbiddenCommands forbidden, ActionCounters counters, OutcomeHistory history,
      DecisionEvidence evidence, BlastRadius blastRadius, Clock clock) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.playbooks = Objects.requireNonNull(playbooks, "playbooks");
    this.policy = null;
    this.classifier = Objects.requireNonNull(classifier, "classifier");
    this.forbidden = Objects.requireNonNull(forbidden, "forbidden");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.policies = Objects.requireNonNull(policies, "policies");
    this.engine = new PolicyEngine(classifier, forbidden);
    this.counters = Objects.requireNonNull(counters, "counters");
    this.evidence = Objects.requireNonNull(evidence, "evidence");
    this.history = Objects.requireNonNull(history, "history");
    this.blastRadius = Objects.requireNonNull(blastRadius, "blastRadius");
  }

  public Decision decide(String incidentId) {
    Incident loaded = Incidents.load(incidents, incidentId);
    if (loaded.decision() != null) {
      return loaded.decision();
    }
    if (engine != null) {
      return decideByPolicy(loaded);
    }
    Decision decision = evaluate(loaded);
    Incident stored = Incidents.modify(incidents, incidentId, loaded, incident -> {
      if (incident.decision() != null) {
        return incident;
      }
      Incident.Builder next = incident.toBuilder().decision(decision).note(clock.instant(), "decide",
          decision.reasoning().get(decision.reasoning().size() - 1) + ", risk " + decision.riskLevel().wireName());
      if (!decision.allowed()) {
        next.status(IncidentStatus.REFUSED);
      }
      return next.build();
    });
    return stored.decision();
  }

  /**
   * What the policy engine would decide now, without taking rate-limit slots or recording
   * anything: for previews, explanations and shadow mode. Policy-engine mode only.
   */
  public PolicyVerdict preview(String incidentId) {
    if (engine == null) {
      throw new IllegalStateException("preview needs the policy engine (construct with a PolicySource)");
    }
    return verdict(Incidents.load(incidents, incidentId), false).verdict();
  }

  private Decision decideByPolicy(Incident loaded) {
    Judged judged = verdict(loaded, true);
    PolicyVerdict verdict = judged.verdict();
    Decision decision = verdict.decision();
    Instant now = clock.instant();
    String score = verdict.score() == null ? "" : String.format(Locale.ROOT, ", reliability %.2f (%s)",
        verdict.score().total(), verdict.score().level().wireName());
    Incident stored = Incidents.modify(incidents, loaded.id(), loaded, incident -> {
      if (incident.decision() != null) {
        return incident;
      }
      Incident.Builder next = incident.toBuilder().decision(decision).note(now, "decide",
          decision.reasoning().get(decision.reasoning().size() - 1) + ", risk " + decision.riskLevel().wireName()
              + score + ", policy " + verdict.policy().name());
      if (!decision.allowed()) {
        next.status(IncidentStatus.REFUSED);
      }
      return next.build();
    });
    if (stored.decision() == decision && judged.playbook() != null && loaded.signature() != null
        && decision.allowed() && verdict.score() != null) {
      history.recordDecision(new PatternOccurrence(loaded.id(), loaded.signature(), judged.playbook().id(),
          category(loaded), verdict.score().total(), verdict.runsWithoutApproval(), now, null, null));
    }
    return stored.decision();
  }

  private record Judged(PolicyVerdict verdict, Playbook playbook) {}

  private Judged verdict(Incident incident, boolean countLimits) {
    Instant now = clock.instant();
    String category = category(incident);
    String service = incident.anomaly() != null ? incident.anomaly().service() : incident.alert().label("service");
    Policy applied = policies.policies().resolve(category, service);
    String auto = incident.alert().label(PolicyEngine.AUTO_LABEL);
    Signature signature = incident.signature();
    Playbook playbook = null;
    String missing = null;
    DecisionEvidence.Evidence found = null;
    if (incident.playbookId() != null) {
      found = evidence.gather(new DecisionEvidence.Request(incident.playbookId(), signature, category,
          now.minus(Reliability.HISTORY_WINDOW), PolicyEngine.slots(applied, incident.playbookId(), service, signature)));
      Optional<Playbook> stored = found.playbook();
      if (stored.isEmpty()) {
        missing = "playbook " + incident.playbookId() + "@" + incident.playbookVersion() + " is not in the store";
      } else if (incident.playbookVersion() != null && !incident.playbookVersion().equals(stored.get().version())) {
        missing = "playbook " + incident.playbookId() + "@" + incident.playbookVersion()
            + " is not the stored version " + stored.get().version();
      } else {
        playbook = stored.get();
      }
    }
    if (playbook == null) {
      PolicyVerdict none = engine.evaluate(new PolicyEngine.Request(applied, null, incident.match(), 0,
          signature, service, auto, 1, null, null, now, countLimits));
      if (missing != null) {
        List<String> reasons = new ArrayList<>(none.decision().reasoning());
        reasons.add(reasons.size() - 1, missing + ": refused");
        none = new PolicyVerdict(new Decision(false, true, RiskClass.CRITICAL_WRITE, reasons), none.checks(), null, null,
            applied);
      }
      return new Judged(none, null);
    }
    MatchResult match = incident.match();
    double confidence = match != null && match.matched() && playbook.id().equals(match.playbookId())
        ? match.confidence() : playbook.stats().confidence();
    ReliabilityScore score = Reliability.score(playbook, match, found.feedback(), found.category(), now);
    PatternEligibility eligibility = signature == null ? null : PatternEligibility.of(found.pattern(), found.feedback());
    PolicyEngine.Request request = new PolicyEngine.Request(applied, playbook, match, confidence, signature,
        service, auto, blastRadius.targets(incident, playbook), score, eligibility, now, countLimits, found.usage());
    PolicyVerdict verdict = engine.evaluate(request);
    if (countLimits && verdict.slots() != null) {
      ActionCounters.Reservation reservation = counters.reserve(verdict.slots());
      if (!(reservation instanceof ActionCounters.Reserved)) {
        // another decision took the last slot since the use was read: judged again, it refuses
        verdict = engine.evaluate(new PolicyEngine.Request(applied, playbook, match, confidence, signature, service,
            auto, request.targets(), score, eligibility, now, true, found.usage().with(reservation)));
      }
    }
    return new Judged(verdict, playbook);
  }

  private static String category(Incident incident) {
    if (incident.anomaly() != null) {
      return incident.anomaly().anomalyType();
    }
    return incident.signature() == null ? Signature.UNKNOWN : incident.signature().anomalyType();
  }

  private Decision evaluate(Incident incident) {
    String id = incident.playbookId();
    if (id == null) {
      return policy.evaluate(null, 0, classifier, forbidden);
    }
    Optional<Playbook> found = playbooks.find(id);
    if (found.isEmpty()) {
      return refused("playbook " + id + "@" + incident.playbookVersion() + " is not in the store: refused");
    }
    Playbook playbook = found.get();
    if (incident.playbookVersion() != null && !incident.playbookVersion().equals(playbook.version())) {
      return refused("playbook " + id + "@" + incident.playbookVersion() + " is not the stored version "
          + playbook.version() + ": refused");
    }
    MatchResult match = incident.match();
    double confidence = match != null && match.matched() && id.equals(match.playbookId())
        ? match.confidence() : playbook.stats().confidence();
    return policy.evaluate(playbook, confidence, classifier, forbidden);
  }

  private static Decision refused(String reason) {
    List<String> reasons = new ArrayList<>();
    reasons.add(reason);
    reasons.add("decision: refused");
    return new Decision(false, true, RiskClass.CRITICAL_WRITE, reasons);
  }
}
