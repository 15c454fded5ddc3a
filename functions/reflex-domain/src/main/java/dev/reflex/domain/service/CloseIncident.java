package dev.reflex.domain.service;

import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.port.IncidentStore;
import java.time.Clock;
import java.util.Objects;

/**
 * Ends an incident the workflow cannot finish: failed, escalated to a person, or refused. A failed
 * incident whose commands are still running has them stopped first ({@link ExecutePlaybook#abandon}):
 * the workflow no longer looks at them, so nothing may keep changing things unobserved.
 */
public final class CloseIncident {

  static final int MAX_CAUSE = 500;

  private final IncidentStore incidents;
  private final ExecutePlaybook executions;
  private final Clock clock;

  /** Without executions to stop: for workflows that run nothing. */
  public CloseIncident(IncidentStore incidents, Clock clock) {
    this(incidents, null, clock);
  }

  /** @param executions stops an execution still running when the incident fails; {@code null} for none */
  public CloseIncident(IncidentStore incidents, ExecutePlaybook executions, Clock clock) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.executions = executions;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A workflow error: FAILED (or PARTIALLY_REMEDIATED when the execution it stopped had changed
   * things), with the error name and its cause (at most 500 characters).
   */
  public Incident fail(String incidentId, String error, String cause) {
    String message = "workflow error: " + Incidents.clean(error, 200)
        + (cause == null || cause.isBlank() ? "" : " (" + Incidents.clean(cause, MAX_CAUSE) + ")");
    if (executions != null) {
      executions.abandon(incidentId, message);
    }
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
      boolean done = (incident.status() == status || incident.status() == IncidentStatus.PARTIALLY_REMEDIATED
          && status == IncidentStatus.FAILED) && !incident.timeline().isEmpty()
          && incident.timeline().get(incident.timeline().size() - 1).message().equals(message);
      if (done) {
        return incident;
      }
      IncidentStatus next = status == IncidentStatus.FAILED
          && incident.status() == IncidentStatus.PARTIALLY_REMEDIATED ? incident.status() : status;
      return incident.toBuilder().status(next).note(clock.instant(), stage, message).build();
    });
  }
}
