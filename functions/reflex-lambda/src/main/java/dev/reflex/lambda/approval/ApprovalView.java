package dev.reflex.lambda.approval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.domain.model.Approval;
import java.util.List;
import java.util.Objects;

/**
 * What an approval page shows one approver: the approval's state, how many approvals it has of how
 * many it needs, whether this approver already answered, and the evidence.
 *
 * @param approver whose link this is ({@code null} on the operator's path)
 * @param status PENDING, APPROVED, REJECTED or EXPIRED
 * @param plan the playbook and its steps for a table, or {@code null} (the evidence holds them too)
 */
public record ApprovalView(
    String approvalId,
    String incidentId,
    String approver,
    String status,
    String expiresAt,
    int required,
    List<String> approvedBy,
    boolean answered,
    String evidence,
    JsonNode plan) {

  public ApprovalView {
    approvedBy = List.copyOf(Objects.requireNonNullElse(approvedBy, List.of()));
    evidence = Objects.requireNonNullElse(evidence, "");
  }

  public static ApprovalView of(Approval approval, String approver, JsonNode plan) {
    return new ApprovalView(approval.id(), approval.incidentId(), approver, approval.status().name(),
        approval.expiresAt().toString(), approval.required(), approval.approvedBy(),
        approver != null && approval.voteOf(approver).isPresent(), approval.evidence(), plan);
  }
}
