package dev.reflex.lambda.audit;

import dev.reflex.domain.model.Approval;
import dev.reflex.domain.model.ApprovalVote;
import dev.reflex.domain.model.AuditEntry;
import dev.reflex.domain.port.ApprovalStore;
import dev.reflex.domain.port.AuditLog;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Audits approvals where they are recorded: the request ({@code approval.requested}: who must
 * approve) and every vote once it is written ({@code approval.approved} or {@code approval.rejected}
 * under the approver's address, with when, from where, the count so far and the reason). A vote that
 * lost a race is not audited; its retry is.
 */
public final class AuditingApprovalStore implements ApprovalStore {

  private final ApprovalStore delegate;
  private final AuditLog audit;
  private final Clock clock;

  public AuditingApprovalStore(ApprovalStore delegate, AuditLog audit, Clock clock) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void create(Approval approval) {
    delegate.create(approval);
    audit.append(new AuditEntry(clock.instant(), approval.incidentId(), AuditEntry.REFLEX, "approval.requested",
        "approval " + approval.id() + ": " + approval.required() + " of " + String.join(", ", approval.approvers())
            + " must approve by " + approval.expiresAt()));
  }

  @Override
  public Optional<Approval> find(String id) {
    return delegate.find(id);
  }

  @Override
  public Optional<Approval> findByIncident(String incidentId) {
    return delegate.findByIncident(incidentId);
  }

  @Override
  public boolean update(Approval next) {
    if (!delegate.update(next)) {
      return false;
    }
    if (!next.votes().isEmpty()) {
      ApprovalVote vote = next.votes().get(next.votes().size() - 1);
      audit.append(new AuditEntry(vote.at(), next.incidentId(), vote.approver(),
          vote.approve() ? "approval.approved" : "approval.rejected",
          Audits.safe("approval " + next.id() + " (" + next.approvedBy().size() + " of " + next.required()
              + " approvals, now " + next.status().name().toLowerCase(java.util.Locale.ROOT) + ") by "
              + vote.source().describe() + (vote.reason().isEmpty() ? "" : ": " + vote.reason()), 1000)));
    }
    return true;
  }
}
