package dev.reflex.domain.service;

import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.matching.PlaybookMatcher;
import dev.reflex.domain.model.AnomalyReport;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.MatchResult;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.port.IncidentStore;
import dev.reflex.domain.port.PlaybookStore;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Chooses a playbook for a detected incident and records the choice. Candidates are read by
 * signature and by anomaly type only (no full scan). Idempotent: a retry returns the recorded match.
 */
public final class MatchPlaybook {

  private final IncidentStore incidents;
  private final PlaybookStore playbooks;
  private final PlaybookMatcher matcher;
  private final Clock clock;

  public MatchPlaybook(IncidentStore incidents, PlaybookStore playbooks, PlaybookMatcher matcher, Clock clock) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.playbooks = Objects.requireNonNull(playbooks, "playbooks");
    this.matcher = Objects.requireNonNull(matcher, "matcher");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public MatchResult match(String incidentId) {
    Incident loaded = Incidents.load(incidents, incidentId);
    if (loaded.match() != null) {
      return loaded.match();
    }
    AnomalyReport anomaly = loaded.anomaly();
    if (anomaly == null) {
      throw new InvalidInputException("anomaly", "incident " + incidentId + " has no anomaly yet: detect it first");
    }
    List<Playbook> bySignature = playbooks.findBySignature(anomaly.signature());
    List<Playbook> byType = playbooks.findByAnomalyType(anomaly.anomalyType());
    List<Playbook> learned = byType.stream().filter(playbook -> playbook.source() != PlaybookSource.CATALOG).toList();
    MatchResult result = matcher.match(loaded.alert(), anomaly, bySignature, byType, learned);
    Incident stored = Incidents.modify(incidents, incidentId, incident -> {
      if (incident.match() != null) {
        return incident;
      }
      Incident.Builder next = incident.toBuilder().match(result).note(clock.instant(), "match", describe(result));
      if (result.matched()) {
        next.status(IncidentStatus.MATCHED).playbook(result.playbookId(), result.version());
      }
      return next.build();
    });
    return stored.match();
  }

  static String describe(MatchResult result) {
    if (result.playbookId() == null) {
      return "no playbook matched (" + result.candidatesConsidered() + " candidates)";
    }
    String score = String.format(Locale.ROOT, "confidence %.2f %s %.2f", result.confidence(),
        result.matched() ? ">=" : "<", result.threshold());
    String how = result.matchedBy().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    return (result.matched() ? "matched " : "no playbook matched; best was ")
        + result.playbookId() + "@" + result.version() + " by " + how + ", " + score
        + " (" + result.candidatesConsidered() + " candidates)";
  }
}
