package dev.reflex.domain.service;

import dev.reflex.domain.approval.ApprovalLinks;
import dev.reflex.domain.error.ApprovalAlreadyDecidedException;
import dev.reflex.domain.error.ApprovalExpiredException;
import dev.reflex.domain.error.ApprovalNotFoundException;
import dev.reflex.domain.error.InvalidApprovalSignatureException;
import dev.reflex.domain.model.Approval;
import dev.reflex.domain.model.Approval.ApprovalStatus;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.port.ApprovalStore;
import dev.reflex.domain.port.IncidentStore;
import dev.reflex.domain.port.WorkflowCallbacks;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * A person's answer to an approval: checks the link's signature and expiry, records the decision
 * once (a second decision is refused and changes nothing), marks the incident APPROVED or REJECTED,
 * then resumes the workflow with {@code {"approved":...,"approvalId":...,"decidedBy":...,"reason":...}}.
 * The incident is updated before the workflow resumes, so the next step sees the decision.
 */
public final class ResolveApproval {

  private final ApprovalStore approvals;
  private final IncidentStore incidents;
  private final WorkflowCallbacks callbacks;
  private final ApprovalLinks links;
  private final Clock clock;

  public ResolveApproval(ApprovalStore approvals, IncidentStore incidents, WorkflowCallbacks callbacks,
      ApprovalLinks links, Clock clock) {
    this.approvals = Objects.requireNonNull(approvals, "approvals");
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
    this.links = Objects.requireNonNull(links, "links");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The approval behind a link, for the confirmation page; a decided one is shown as decided. */
  public Approval view(String approvalId, String sig) {
    Approval approval = verified(approvalId, sig);
    if (approval.status() == ApprovalStatus.PENDING && approval.expiredAt(clock.instant())) {
      throw new ApprovalExpiredException("approval " + approvalId + " expired at " + approval.expiresAt());
    }
    return approval;
  }

  public Approval decide(String approvalId, String sig, boolean approve, String actor, String reason) {
    return record(verified(approvalId, sig), approve, actor, reason);
  }

  /** The local operator's path ({@code ./reflex approve ID}): trusted, so no link signature. */
  public Approval decideAsOperator(String approvalId, boolean approve, String actor, String reason) {
    return record(find(approvalId), approve, actor, reason);
  }

  private Approval verified(String approvalId, String sig) {
    Approval approval = find(approvalId);
    if (!links.verify(approval, sig)) {
      throw new InvalidApprovalSignatureException("the link signature for approval " + approvalId + " is not valid");
    }
    return approval;
  }

  private Approval find(String approvalId) {
    return approvals.find(approvalId)
        .orElseThrow(() -> new ApprovalNotFoundException("no approval " + approvalId));
  }

  private Approval record(Approval approval, boolean approve, String actor, String reason) {
    if (actor == null || actor.isBlank()) {
      throw new IllegalArgumentException("who decides is required");
    }
    if (approval.status() != ApprovalStatus.PENDING) {
      throw new ApprovalAlreadyDecidedException("approval " + approval.id() + " is already "
          + approval.status().name().toLowerCase(java.util.Locale.ROOT));
    }
    Instant now = clock.instant();
    if (approval.expiredAt(now)) {
      throw new ApprovalExpiredException("approval " + approval.id() + " expired at " + approval.expiresAt());
    }
    String who = Incidents.clean(actor, 120);
    String why = Incidents.clean(reason, 500);
    Approval decided = approval.decide(approve ? ApprovalStatus.APPROVED : ApprovalStatus.REJECTED, who, now, why);
    if (!approvals.decide(decided)) {
      throw new ApprovalAlreadyDecidedException("approval " + approval.id() + " was decided meanwhile");
    }
    Incidents.modify(incidents, approval.incidentId(), incident -> incident.toBuilder()
        .status(approve ? IncidentStatus.APPROVED : IncidentStatus.REJECTED)
        .note(now, "approval", (approve ? "approved by " : "rejected by ") + who
            + (why.isEmpty() ? "" : ": " + why))
        .build());
    callbacks.succeed(approval.taskToken(), output(decided, approve));
    return decided;
  }

  static String output(Approval decided, boolean approve) {
    return "{\"approved\":" + approve
        + ",\"approvalId\":" + Json.quote(decided.id())
        + ",\"decidedBy\":" + Json.quote(decided.decidedBy())
        + ",\"reason\":" + Json.quote(Objects.requireNonNullElse(decided.reason(), "")) + "}";
  }
}
