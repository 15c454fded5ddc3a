package dev.reflex.domain.service;

import dev.reflex.domain.approval.ApprovalLinks;
import dev.reflex.domain.model.Approval;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.port.ApprovalNotifier;
import dev.reflex.domain.port.ApprovalStore;
import dev.reflex.domain.port.IncidentStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Pauses an incident for a person: stores an approval holding the workflow's task token, marks the
 * incident AWAITING_APPROVAL and notifies approvers with a signed link. The task token stays in the
 * approval store: it is in no summary, timeline line or link.
 *
 * <p>Idempotent per incident and task token: a retry returns the approval already created (and
 * finishes the incident update and notification if they had not happened).
 */
public final class RequestApproval {

  private final IncidentStore incidents;
  private final ApprovalStore approvals;
  private final ApprovalNotifier notifier;
  private final ApprovalLinks links;
  private final Clock clock;
  private final Supplier<String> ids;

  public RequestApproval(IncidentStore incidents, ApprovalStore approvals, ApprovalNotifier notifier,
      ApprovalLinks links, Clock clock, Supplier<String> ids) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.approvals = Objects.requireNonNull(approvals, "approvals");
    this.notifier = Objects.requireNonNull(notifier, "notifier");
    this.links = Objects.requireNonNull(links, "links");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  public Approval request(String incidentId, String taskToken, Duration timeout) {
    if (taskToken == null || taskToken.isBlank()) {
      throw new IllegalArgumentException("a task token is required");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the approval timeout must be positive");
    }
    Incident incident = Incidents.load(incidents, incidentId);
    Optional<Approval> previous = approvals.findByIncident(incidentId)
        .filter(approval -> approval.taskToken().equals(taskToken));
    if (previous.isPresent() && previous.get().id().equals(incident.approvalId())) {
      return previous.get();
    }
    Approval approval = previous.orElseGet(() -> {
      Instant now = clock.instant();
      Approval created = new Approval(ids.get(), incidentId, taskToken, Approval.ApprovalStatus.PENDING, now,
          now.plus(timeout), null, null, null);
      approvals.create(created);
      return created;
    });
    String url = links.pageUrl(approval);
    notifier.approvalRequested(approval.id(), incidentId, summary(incident, approval), url);
    Incidents.modify(incidents, incidentId, current -> approval.id().equals(current.approvalId()) ? current
        : current.toBuilder()
            .approvalId(approval.id())
            .status(IncidentStatus.AWAITING_APPROVAL)
            .note(clock.instant(), "approval", "approval " + approval.id() + " requested, expires at "
                + approval.expiresAt())
            .build());
    return approval;
  }

  /** What the approver reads: the incident, the plan, and every reason of the decision. */
  static String summary(Incident incident, Approval approval) {
    StringBuilder text = new StringBuilder();
    text.append("Incident ").append(incident.id());
    if (incident.signature() != null) {
      text.append(" (").append(incident.signature()).append(')');
    }
    text.append('\n');
    text.append("Playbook: ").append(incident.playbookId() == null ? "none"
        : incident.playbookId() + "@" + incident.playbookVersion()).append('\n');
    if (incident.match() != null && incident.match().playbookId() != null) {
      text.append(String.format(java.util.Locale.ROOT, "Match: %s, confidence %.2f%n",
          incident.match().matchedBy().name().toLowerCase(java.util.Locale.ROOT), incident.match().confidence()));
    }
    if (incident.decision() != null) {
      text.append("Risk: ").append(incident.decision().riskLevel().wireName()).append('\n');
      text.append("Checks:\n");
      incident.decision().reasoning().forEach(reason -> text.append("  - ").append(reason).append('\n'));
    }
    text.append("Expires at: ").append(approval.expiresAt()).append('\n');
    return text.toString();
  }
}
