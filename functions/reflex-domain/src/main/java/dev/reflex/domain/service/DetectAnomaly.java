package dev.reflex.domain.service;

import dev.reflex.domain.detection.AnomalyDetector;
import dev.reflex.domain.model.AnomalyReport;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.port.IncidentStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Records what kind of anomaly an incident is and moves it to {@code DETECTED}. Ingest already
 * classified a new incident ({@link IngestAlerts}), so this is one conditional status change;
 * an incident opened without its anomaly (stored by an earlier version) is classified here.
 * Idempotent: a retry returns the recorded anomaly.
 */
public final class DetectAnomaly {

  private final IncidentStore store;
  private final AnomalyDetector detector;
  private final Clock clock;

  public DetectAnomaly(IncidentStore store, AnomalyDetector detector, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.detector = Objects.requireNonNull(detector, "detector");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Incident detect(String incidentId) {
    IncidentStore.StatusChange marked = store.markDetected(incidentId, clock.instant());
    if (marked.changed() || marked.incident().anomaly() != null) {
      return marked.incident();
    }
    return Incidents.modify(store, incidentId, marked.incident(), incident -> {
      if (incident.anomaly() != null) {
        return incident;
      }
      AnomalyReport anomaly = detector.detect(incident.alert());
      Instant now = clock.instant();
      return incident.toBuilder()
          .anomaly(anomaly)
          .status(incident.status() == IncidentStatus.OPEN ? IncidentStatus.DETECTED : incident.status())
          .note(now, "detect", describe(anomaly))
          .build();
    });
  }

  /** {@code high_latency for payment-api in india (1850 ms vs threshold 500 ms)}. */
  static String describe(AnomalyReport anomaly) {
    StringBuilder text = new StringBuilder(anomaly.anomalyType())
        .append(" for ").append(anomaly.service())
        .append(" in ").append(anomaly.scope());
    if (!anomaly.measurements().isEmpty()) {
      AnomalyReport.Measurement m = anomaly.measurements().get(0);
      String unit = Incidents.clean(m.unit(), 12);
      text.append(" (").append(quantity(m.value(), unit));
      if (m.threshold() != null) {
        text.append(" vs threshold ").append(quantity(m.threshold(), unit));
      }
      text.append(')');
    }
    return text.toString();
  }

  private static String quantity(double value, String unit) {
    String number = BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    if (unit.isEmpty()) {
      return number;
    }
    return unit.equals("%") ? number + "%" : number + " " + unit;
  }
}
