package dev.reflex.domain.service;

import dev.reflex.domain.model.Decision;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.MatchResult;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.policy.RemediationPolicy;
import dev.reflex.domain.port.IncidentStore;
import dev.reflex.domain.port.PlaybookStore;
import dev.reflex.domain.risk.ForbiddenCommands;
import dev.reflex.domain.risk.RiskClassifier;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies the {@link RemediationPolicy} to an incident's playbook and records the decision; a
 * refused plan makes the incident REFUSED. The confidence judged is the match's when the incident
 * matched this playbook, else the playbook's learned confidence. Idempotent: a retry returns the
 * recorded decision.
 */
public final class DecideRemediation {

  private final IncidentStore incidents;
  private final PlaybookStore playbooks;
  private final RemediationPolicy policy;
  private final RiskClassifier classifier;
  private final ForbiddenCommands forbidden;
  private final Clock clock;

  public DecideRemediation(IncidentStore incidents, PlaybookStore playbooks, RemediationPolicy policy,
      RiskClassifier classifier, ForbiddenCommands forbidden, Clock clock) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.playbooks = Objects.requireNonNull(playbooks, "playbooks");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.classifier = Objects.requireNonNull(classifier, "classifier");
    this.forbidden = Objects.requireNonNull(forbidden, "forbidden");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Decision decide(String incidentId) {
    Incident loaded = Incidents.load(incidents, incidentId);
    if (loaded.decision() != null) {
      return loaded.decision();
    }
    Decision decision = evaluate(loaded);
    Incident stored = Incidents.modify(incidents, incidentId, incident -> {
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
