package dev.reflex.domain.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A request for a person to approve or reject a plan. The workflow's task token stays here,
 * server side; links carry only the opaque id and a signature.
 *
 * @param decidedBy who decided, {@code null} while pending
 */
public record Approval(
    String id,
    String incidentId,
    String taskToken,
    ApprovalStatus status,
    Instant createdAt,
    Instant expiresAt,
    String decidedBy,
    Instant decidedAt,
    String reason) {

  public Approval {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(incidentId, "incidentId");
    Objects.requireNonNull(taskToken, "taskToken");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** The task token is a credential to resume the workflow: it is never printed. */
  @Override
  public String toString() {
    return "Approval[id=" + id + ", incidentId=" + incidentId + ", status=" + status + ", expiresAt=" + expiresAt
        + ", decidedBy=" + decidedBy + ", taskToken=<redacted>]";
  }

  public boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  public Approval decide(ApprovalStatus decision, String actor, Instant at, String why) {
    return new Approval(id, incidentId, taskToken, decision, createdAt, expiresAt, actor, at, why);
  }

  public enum ApprovalStatus {
    PENDING,
    APPROVED,
    REJECTED,
    EXPIRED
  }
}
