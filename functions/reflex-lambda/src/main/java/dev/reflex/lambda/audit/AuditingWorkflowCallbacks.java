package dev.reflex.lambda.audit;

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
 * Audits every release of a task token: {@code workflow.resumed} when the waiting task succeeds,
 * {@code workflow.failed} with the error when it fails (a rejection). The entry names the incident of
 * the approval the output or cause carries (else {@link AuditEntry#SYSTEM}) and is written first: a
 * release that cannot be audited does not happen.
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
    audit.append(new AuditEntry(clock.instant(), incident(outputJson), AuditEntry.REFLEX, "workflow.resumed",
        Audits.safe("task released with " + outputJson, 1000)));
    delegate.succeed(taskToken, outputJson);
  }

  @Override
  public void fail(String taskToken, String error, String cause) {
    audit.append(new AuditEntry(clock.instant(), incident(cause), AuditEntry.REFLEX, "workflow.failed",
        Audits.safe("task failed with " + error + ": " + cause, 1000)));
    delegate.fail(taskToken, error, cause);
  }

  private String incident(String json) {
    String approvalId = parse(json).path("approvalId").asText("");
    return approvalId.isEmpty() ? AuditEntry.SYSTEM : incidentOfApproval.apply(approvalId).orElse(AuditEntry.SYSTEM);
  }

  private static JsonNode parse(String json) {
    try {
      JsonNode node = JSON.readTree(json == null ? "" : json);
      return node == null ? JSON.missingNode() : node;
    } catch (JsonProcessingException e) {
      return JSON.missingNode();
    }
  }
}
