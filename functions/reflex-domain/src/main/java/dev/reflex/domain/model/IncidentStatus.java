package dev.reflex.domain.model;

/** Where an incident is in the remediation flow. */
public enum IncidentStatus {
  OPEN,
  DETECTED,
  MATCHED,
  CONSULTED,
  AWAITING_APPROVAL,
  APPROVED,
  REJECTED,
  /** The policy engine refused the plan; a person must act. */
  REFUSED,
  EXECUTING,
  RESOLVED,
  PARTIALLY_REMEDIATED,
  FAILED,
  ESCALATED;

  public boolean terminal() {
    return switch (this) {
      case REJECTED, REFUSED, RESOLVED, PARTIALLY_REMEDIATED, FAILED, ESCALATED -> true;
      default -> false;
    };
  }
}
