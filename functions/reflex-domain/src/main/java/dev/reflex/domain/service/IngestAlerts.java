package dev.reflex.domain.service;

import dev.reflex.domain.detection.AnomalyDetector;
import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.AlertStatus;
import dev.reflex.domain.model.AnomalyReport;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.IncidentStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns alerts into incidents. A firing alert opens one incident per occurrence (re-deliveries
 * find the existing one); a resolved alert marks its incident's alert as resolved.
 *
 * <p>The alert is classified here (its signature is part of the answer to the sender), and a new
 * incident is stored with that anomaly and the detection's timeline line, still {@code OPEN}:
 * the workflow's detect step then only confirms it ({@link DetectAnomaly}), one conditional
 * write instead of a read and a write.
 */
public final class IngestAlerts {

  private final IncidentStore store;
  private final AnomalyDetector detector;
  private final Clock clock;
  private final Supplier<String> ids;

  public IngestAlerts(IncidentStore store, AnomalyDetector detector, Clock clock, Supplier<String> ids) {
    this.store = Objects.requireNonNull(store, "store");
    this.detector = Objects.requireNonNull(detector, "detector");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  /**
   * What happened to one alert.
   *
   * @param incidentId {@code null} for a resolved alert without an incident
   * @param created true only when this call opened the incident
   */
  public record Ingested(
      String incidentId, Signature signature, IncidentStatus status, boolean created, AlertStatus alertStatus) {}

  public List<Ingested> ingest(List<Alert> alerts) {
    List<Ingested> result = new ArrayList<>(alerts.size());
    for (Alert alert : alerts) {
      result.add(alert.status() == AlertStatus.FIRING ? firing(alert) : resolved(alert));
    }
    return result;
  }

  private Ingested firing(Alert alert) {
    AnomalyReport anomaly = detector.detect(alert);
    Signature signature = anomaly.signature();
    Instant now = clock.instant();
    Incident classified = Incident.open(ids.get(), alert, now).toBuilder()
        .anomaly(anomaly)
        .note(now, "detect", DetectAnomaly.describe(anomaly))
        .build();
    IncidentStore.Opened opened = store.openIfAbsent(classified);
    Incident incident = opened.incident();
    return new Ingested(incident.id(), signature, incident.status(), opened.created(), AlertStatus.FIRING);
  }

  private Ingested resolved(Alert alert) {
    Signature signature = detector.detect(alert).signature();
    Optional<Incident> found = store.findByOccurrenceKey(alert.occurrenceKey());
    if (found.isEmpty()) {
      return new Ingested(null, signature, null, false, AlertStatus.RESOLVED);
    }
    Instant now = clock.instant();
    Instant resolvedAt = alert.endsAt() == null ? now : alert.endsAt();
    Incident incident = Incidents.modify(store, found.get().id(), current -> current.alertResolvedAt() != null
        ? current
        : current.toBuilder()
            .alertResolvedAt(resolvedAt)
            .note(now, "ingest", "Alert " + Incidents.clean(alert.alertName(), 120) + " resolved at " + resolvedAt)
            .build());
    return new Ingested(incident.id(), signature, incident.status(), false, AlertStatus.RESOLVED);
  }
}
