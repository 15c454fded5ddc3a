package dev.reflex.domain.service;

import dev.reflex.domain.approval.ApprovalEvidence;
import dev.reflex.domain.approval.ApprovalLinks;
import dev.reflex.domain.approval.ApprovalRequirement;
import dev.reflex.domain.approval.ApproverRule;
import dev.reflex.domain.model.Approval;
import dev.reflex.domain.model.ApprovalNotice;
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
 * Pauses an incident for people: works out who must approve ({@link ApproverRule}: the policy's
 * approvers, M of N for {@code critical_write}), gathers the evidence ({@link ApprovalEvidence}),
 * stores an approval holding the workflow's task token, marks the incident AWAITING_APPROVAL and
 * sends each approver a link of their own, which expires with the approval state's timeout. The
 * task token stays in the approval store: it is in no evidence, timeline line or link.
 *
 * <p>Idempotent per incident and task token: a retry returns the approval already created (and
 * finishes the incident update and notification if they had not happened).
 */
public final class RequestApproval {

  private final IncidentStore incidents;
  private final ApprovalStore approvals;
  private final ApprovalNotifier notifier;
  private final ApprovalLinks links;
  private final ApproverRule approvers;
  private final ApprovalEvidence.Collector evidence;
  private final Clock clock;
  private final Supplier<String> ids;

  public RequestApproval(IncidentStore incidents, ApprovalStore approvals, ApprovalNotifier notifier,
      ApprovalLinks links, ApproverRule approvers, ApprovalEvidence.Collector evidence, Clock clock,
      Supplier<String> ids) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.approvals = Objects.requireNonNull(approvals, "approvals");
    this.notifier = Objects.requireNonNull(notifier, "notifier");
    this.links = Objects.requireNonNull(links, "links");
    this.approvers = Objects.requireNonNull(approvers, "approvers");
    this.evidence = Objects.requireNonNull(evidence, "evidence");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  /**
   * @param timeout the approval state's timeout: the links expire with it
   * @throws dev.reflex.domain.error.NoApproverException when nobody may approve this plan
   */
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
      Instant expiresAt = now.plus(timeout);
      ApprovalRequirement requirement = approvers.requirementFor(incident);
      String text = evidence.collect(incident, requirement, expiresAt).text();
      Approval created = Approval.pending(ids.get(), incidentId, taskToken, now, expiresAt, requirement.approvers(),
          requirement.required(), text);
      approvals.create(created);
      return created;
    });
    notifier.approvalRequested(notice(incident, approval));
    Incidents.modify(incidents, incidentId, current -> approval.id().equals(current.approvalId()) ? current
        : current.toBuilder()
            .approvalId(approval.id())
            .status(IncidentStatus.AWAITING_APPROVAL)
            .note(clock.instant(), "approval", "approval " + approval.id() + " requested from "
                + approval.required() + " of " + approval.approvers().size() + " approver(s), expires at "
                + approval.expiresAt())
            .build());
    return approval;
  }

  private ApprovalNotice notice(Incident incident, Approval approval) {
    String about = incident.signature() == null ? "incident " + incident.id() : incident.signature().toString();
    String risk = incident.decision() == null ? "" : " (" + incident.decision().riskLevel().wireName() + ")";
    return new ApprovalNotice(approval.id(), approval.incidentId(), "[Reflex] Approval needed: " + about + risk,
        approval.evidence(), approval.expiresAt(), approval.required(),
        approval.approvers().stream()
            .map(approver -> new ApprovalNotice.PersonalLink(approver, links.pageUrl(approval, approver)))
            .toList());
  }
}
