package dev.reflex.domain.model;

/** Life cycle of a playbook. Only ACTIVE and PENDING_REVIEW playbooks are ever matched. */
public enum PlaybookStatus {
  ACTIVE,
  /** Drafted and proposed for review; may be recommended, but only with approval. */
  PENDING_REVIEW,
  REJECTED,
  REJECTED_BY_GATE,
  DISABLED;

  public boolean matchable() {
    return this == ACTIVE || this == PENDING_REVIEW;
  }
}
