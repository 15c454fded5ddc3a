package dev.reflex.local.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reflex.domain.model.AuditEntry;
import dev.reflex.domain.port.AuditLog;
import dev.reflex.domain.port.WorkflowCallbacks;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Audits approval decisions where they leave Reflex: the task token of the approval state is
 * released with the decision, who made it and why. The entry is written first; a decision that
 * cannot be audited does not resume the workflow.
 */
public final class AuditingWorkflowCallbacks implements WorkflowCallbacks {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final WorkflowCallbacks delegate;
  private final AuditLog audit;
  private final Function<String, Optional<String>> incidentOfApproval;
  private final Clock clock;

  /** @param incidentOfApproval the incident an approval id belongs to */
  public AuditingWorkflowCallbacks(WorkflowCallbacks delegate, AuditLog audit,
      Function<String, Optional<String>> incidentOfApproval, Clock clock) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.incidentOfApproval = Objects.requireNonNull(incidentOfApproval, "incidentOfApproval");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void succeed(String taskToken, String outputJson) {
    JsonNode output = parse(outputJson);
    String approvalId = output.path("approvalId").asText("");
    Optional<String> incident = approvalId.isEmpty() ? Optional.empty() : incidentOfApproval.apply(approvalId);
    if (incident.isPresent() && output.path("approved").isBoolean()) {
      boolean approved = output.path("approved").booleanValue();
      String actor = output.path("decidedBy").asText("");
      String reason = output.path("reason").asText("");
      audit.append(new AuditEntry(clock.instant(), incident.get(), actor.isBlank() ? "unknown" : actor,
          approved ? "approval.approved" : "approval.rejected",
          "approval " + approvalId + (reason.isBlank() ? "" : ": " + Audits.safe(reason, 500))));
    }
    delegate.succeed(taskToken, outputJson);
  }

  @Override
  public void fail(String taskToken, String error, String cause) {
    delegate.fail(taskToken, error, cause);
  }

  private static JsonNode parse(String outputJson) {
    try {
      JsonNode node = JSON.readTree(outputJson == null ? "" : outputJson);
      return node == null ? JSON.missingNode() : node;
    } catch (JsonProcessingException e) {
      return JSON.missingNode();
    }
  }
}
