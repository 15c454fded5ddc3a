package dev.reflex.domain.service;

import dev.reflex.domain.approval.ApprovalLinks;
import dev.reflex.domain.error.ApprovalAlreadyDecidedException;
import dev.reflex.domain.error.ApprovalExpiredException;
import dev.reflex.domain.error.ApprovalNotFoundException;
import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.error.InvalidApprovalSignatureException;
import dev.reflex.domain.model.Approval;
import dev.reflex.domain.model.Approval.ApprovalStatus;
import dev.reflex.domain.model.ApprovalVote;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.port.ApprovalStore;
import dev.reflex.domain.port.IncidentStore;
import dev.reflex.domain.port.WorkflowCallbacks;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * An approver's answer through their own link. Checks the link (signature over the approval id, the
 * approver's address and the expiry), records the vote once per approver, and moves the approval on:
 *
 * <ul>
 *   <li>a yes that brings the approvals to {@code required} distinct approvers marks the incident
 *       APPROVED, then releases the task token with
 *       {@code {"approved":true,"approvalId":...,"decidedBy":...,"reason":...}};
 *   <li>one no marks the incident REJECTED, then fails the task with {@value #REJECTED_ERROR};
 *   <li>a yes short of {@code required} is noted on the incident, which keeps waiting.
 * </ul>
 *
 * Votes are written with compare-and-set on the approval's version: two approvers answering at once
 * are both counted, and exactly one write decides. The incident is updated before the workflow
 * resumes, so the next step sees the decision. Viewing (GET) never changes anything.
 */
public final class ResolveApproval {

  /** The error the approval state fails with on a rejection; the state machine catches it. */
  public static final String REJECTED_ERROR = "reflex.ApprovalRejected";
  /** Attempts at writing a vote when other votes keep landing first. */
  static final int MAX_ATTEMPTS = 8;

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

  /**
   * The approval behind {@code approver}'s link, for the confirmation page. A decided one is shown as
   * decided; a pending one past its expiry is refused.
   */
  public Approval view(String approvalId, String approver, String sig) {
    Approval approval = verified(approvalId, approver, sig);
    if (approval.status() == ApprovalStatus.PENDING && approval.expiredAt(clock.instant())) {
      throw new ApprovalExpiredException("approval " + approvalId + " expired at " + approval.expiresAt());
    }
    return approval;
  }

  /**
   * Records {@code approver}'s vote from their signed link (the POST of the confirmation page).
   *
   * @throws InvalidApprovalSignatureException for a forged link, or one whose address was changed
   * @throws ApprovalAlreadyDecidedException when this approver already voted, or the approval is decided
   * @throws ApprovalExpiredException after the approval state's timeout
   */
  public Approval decide(String approvalId, String approver, String sig, boolean approve, String reason,
      ApprovalVote.Source source) {
    Approval approval = verified(approvalId, approver, sig);
    return record(approval, approver, approve, reason, source);
  }

  /**
   * The local operator's path ({@code ./reflex approve ID}, the admin API): trusted, so no link
   * signature. The operator's vote counts as one approver's under the name given.
   */
  public Approval decideAsOperator(String approvalId, boolean approve, String actor, String reason) {
    if (actor == null || actor.isBlank()) {
      throw new IllegalArgumentException("who decides is required");
    }
    return record(find(approvalId), actor, approve, reason, ApprovalVote.Source.operator());
  }

  private Approval verified(String approvalId, String approver, String sig) {
    Approval approval = find(approvalId);
    if (!links.verify(approval, approver, sig) || !approval.isApprover(approver)) {
      throw new InvalidApprovalSignatureException("the link for approval " + approvalId + " is not valid");
    }
    return approval;
  }

  private Approval find(String approvalId) {
    return approvals.find(approvalId)
        .orElseThrow(() -> new ApprovalNotFoundException("no approval " + approvalId));
  }

  private Approval record(Approval read, String actor, boolean approve, String reason, ApprovalVote.Source source) {
    String who = Incidents.clean(actor, 120);
    String why = Incidents.clean(reason, 500);
    Approval current = read;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (current.voteOf(who).isPresent()) {
        throw new ApprovalAlreadyDecidedException("approval " + current.id() + ": " + who + " already decided");
      }
      if (current.status() != ApprovalStatus.PENDING) {
        throw new ApprovalAlreadyDecidedException("approval " + current.id() + " is already "
            + current.status().name().toLowerCase(Locale.ROOT));
      }
      Instant now = clock.instant();
      if (current.expiredAt(now)) {
        throw new ApprovalExpiredException("approval " + current.id() + " expired at " + current.expiresAt());
      }
      Approval next = current.withVote(new ApprovalVote(who, approve, now, why, source));
      if (approvals.update(next)) {
        return settle(next, who, approve, why, now);
      }
      current = find(current.id());
    }
    throw new ConcurrentUpdateException("approval " + read.id() + " kept changing while " + who + " decided");
  }

  /** What follows a written vote: a note, or the decision on the incident and the workflow. */
  private Approval settle(Approval next, String who, boolean approve, String why, Instant now) {
    String said = (approve ? "approved by " : "rejected by ") + who + (why.isEmpty() ? "" : ": " + why);
    switch (next.status()) {
      case PENDING -> Incidents.modify(incidents, next.incidentId(), incident -> incident.toBuilder()
          .note(now, "approval", said + " (" + next.approvedBy().size() + " of " + next.required() + " approvals)")
          .build());
      case APPROVED -> {
        Incidents.modify(incidents, next.incidentId(), incident -> incident.toBuilder()
            .status(IncidentStatus.APPROVED)
            .note(now, "approval", said + (next.required() > 1 ? " (" + next.required() + " of "
                + next.approvers().size() + " approvals: " + next.decidedBy() + ")" : ""))
            .build());
        callbacks.succeed(next.taskToken(), output(next));
      }
      case REJECTED -> {
        Incidents.modify(incidents, next.incidentId(), incident -> incident.toBuilder()
            .status(IncidentStatus.REJECTED)
            .note(now, "approval", said)
            .build());
        callbacks.fail(next.taskToken(), REJECTED_ERROR, output(next));
      }
      case EXPIRED -> throw new IllegalStateException("a vote cannot expire an approval");
    }
    return next;
  }

  static String output(Approval decided) {
    return "{\"approved\":" + (decided.status() == ApprovalStatus.APPROVED)
        + ",\"approvalId\":" + Json.quote(decided.id())
        + ",\"decidedBy\":" + Json.quote(Objects.requireNonNullElse(decided.decidedBy(), ""))
        + ",\"reason\":" + Json.quote(Objects.requireNonNullElse(decided.reason(), "")) + "}";
  }
}
