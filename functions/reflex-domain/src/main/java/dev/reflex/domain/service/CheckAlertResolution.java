package dev.reflex.domain.service;

import dev.reflex.domain.model.Incident;
import dev.reflex.domain.port.IncidentStore;
import java.time.Instant;
import java.util.Objects;

/**
 * Has the incident's triggering alert resolved? Ingest records Alertmanager's "resolved"
 * notification on the incident; after the commands succeed the workflow asks this, waits and asks
 * again, a bounded number of times, before it learns: a remediation is verified only by the alert
 * going away. Reads only.
 */
public final class CheckAlertResolution {

  /** @param resolvedAt when the alert resolved, {@code null} while it still fires */
  public record Resolution(String incidentId, boolean resolved, Instant resolvedAt) {}

  private final IncidentStore incidents;

  public CheckAlertResolution(IncidentStore incidents) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
  }

  public Resolution check(String incidentId) {
    Incident incident = Incidents.load(incidents, incidentId);
    return new Resolution(incident.id(), incident.alertResolvedAt() != null, incident.alertResolvedAt());
  }
}
