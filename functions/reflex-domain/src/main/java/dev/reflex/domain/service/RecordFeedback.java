package dev.reflex.domain.service;

import dev.reflex.domain.model.Feedback;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.port.FeedbackStore;
import dev.reflex.domain.port.IncidentStore;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;

/**
 * Records a person's feedback on an incident ({@code POST /api/v1/incidents/{id}/feedback},
 * {@code ./reflex feedback}): stamps it with the time, binds it to the incident's signature and
 * playbook so the reliability score and pattern eligibility can find it, appends it, and notes it
 * on the incident's timeline.
 */
public final class RecordFeedback {

  public static final String STAGE = "feedback";

  private final IncidentStore incidents;
  private final FeedbackStore feedback;
  private final Clock clock;

  public RecordFeedback(IncidentStore incidents, FeedbackStore feedback, Clock clock) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.feedback = Objects.requireNonNull(feedback, "feedback");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * @throws dev.reflex.domain.error.IncidentNotFoundException when there is no such incident
   */
  public Feedback record(Feedback given) {
    Objects.requireNonNull(given, "feedback");
    Incident incident = Incidents.load(incidents, given.incidentId());
    Feedback recorded = given.recorded(clock.instant(), incident.signature(), incident.playbookId());
    feedback.append(recorded);
    String message = String.format(Locale.ROOT, "%s feedback from %s: rating %d/5%s", recorded.type().wireName(),
        Incidents.clean(recorded.author(), 80), recorded.rating(),
        recorded.actionsWorked() == null ? "" : recorded.actionsWorked() ? ", actions worked" : ", actions did not work");
    Incidents.modify(incidents, incident.id(), current -> current.toBuilder()
        .note(recorded.at(), STAGE, message).build());
    return recorded;
  }
}
