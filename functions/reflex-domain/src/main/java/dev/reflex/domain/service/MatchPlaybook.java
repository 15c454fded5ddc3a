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
import dev.reflex.domain.port.PlaybookCatalog;
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
  private final PlaybookCatalog catalog;

  /** Without the catalog every candidate of the type is loaded for each incident. */
  public MatchPlaybook(IncidentStore incidents, PlaybookStore playbooks, PlaybookMatcher matcher, Clock clock) {
    this(incidents, playbooks, matcher, null, clock);
  }

  /**
   * With the catalog, a learned playbook for this exact signature or a shipped playbook for the
   * anomaly type that reaches the threshold is taken without loading every learned playbook of
   * the type; similarity is the fallback when neither does.
   */
  public MatchPlaybook(IncidentStore incidents, PlaybookStore playbooks, PlaybookMatcher matcher,
      PlaybookCatalog catalog, Clock clock) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.playbooks = Objects.requireNonNull(playbooks, "playbooks");
    this.matcher = Objects.requireNonNull(matcher, "matcher");
    this.catalog = catalog;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The shipped playbooks for a type, with the stats and status the store holds for them. */
  private List<Playbook> shipped(String anomalyType) {
    List<Playbook> found = new java.util.ArrayList<>();
    for (Playbook shippedPlaybook : catalog.playbooks()) {
      if (shippedPlaybook.anomalyTypes().contains(anomalyType)) {
        playbooks.find(shippedPlaybook.id()).ifPresent(found::add);
      }
    }
    return found;
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
    MatchResult result = null;
    if (catalog != null) {
      // the cheap lookups first: this signature's learned playbooks and the shipped ones for the type
      MatchResult direct = matcher.match(loaded.alert(), anomaly, bySignature, shipped(anomaly.anomalyType()), List.of());
      if (direct.matched()) {
        result = direct;
      }
    }
    if (result == null) {
      // then text similarity against every learned playbook of the type
      List<Playbook> byType = playbooks.findByAnomalyType(anomaly.anomalyType());
      List<Playbook> learned = byType.stream().filter(playbook -> playbook.source() != PlaybookSource.CATALOG).toList();
      result = matcher.match(loaded.alert(), anomaly, bySignature, byType, learned);
    }
    MatchResult chosen = result;
    Incident stored = Incidents.modify(incidents, incidentId, loaded, incident -> {
      if (incident.match() != null) {
        return incident;
      }
      Incident.Builder next = incident.toBuilder().match(chosen).note(clock.instant(), "match", describe(chosen));
      if (chosen.matched()) {
        next.status(IncidentStatus.MATCHED).playbook(chosen.playbookId(), chosen.version());
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
