package dev.reflex.domain.service;

import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.port.IncidentStore;
import java.time.Clock;
import java.util.Objects;

/** Ends an incident the workflow cannot finish: failed, escalated to a person, or refused. */
public final class CloseIncident {

  static final int MAX_CAUSE = 500;

  private final IncidentStore incidents;
  private final Clock clock;

  public CloseIncident(IncidentStore incidents, Clock clock) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A workflow error: FAILED, with the error name and its cause (at most 500 characters). */
  public Incident fail(String incidentId, String error, String cause) {
    String message = "workflow error: " + Incidents.clean(error, 200)
        + (cause == null || cause.isBlank() ? "" : " (" + Incidents.clean(cause, MAX_CAUSE) + ")");
    return close(incidentId, IncidentStatus.FAILED, "error", message);
  }

  /** Hands the incident to a person: ESCALATED. */
  public Incident escalate(String incidentId, String reason) {
    return close(incidentId, IncidentStatus.ESCALATED, "escalate", "escalated: " + Incidents.clean(reason, MAX_CAUSE));
  }

  /** The plan was refused: REFUSED. */
  public Incident refuse(String incidentId, String reason) {
    return close(incidentId, IncidentStatus.REFUSED, "refuse", "refused: " + Incidents.clean(reason, MAX_CAUSE));
  }

  private Incident close(String incidentId, IncidentStatus status, String stage, String message) {
    return Incidents.modify(incidents, incidentId, incident -> {
      boolean done = incident.status() == status && !incident.timeline().isEmpty()
          && incident.timeline().get(incident.timeline().size() - 1).message().equals(message);
      if (done) {
        return incident;
      }
      return incident.toBuilder().status(status).note(clock.instant(), stage, message).build();
    });
  }
}
