package dev.reflex.domain.port;

import dev.reflex.domain.model.Approval;
import java.util.Optional;

/** Pending and decided approvals; the task token never leaves this store except to resume. */
public interface ApprovalStore {

  void create(Approval approval);

  Optional<Approval> find(String id);

  Optional<Approval> findByIncident(String incidentId);

  /**
   * Records a decision if the approval is still PENDING. Atomic: of two concurrent decisions
   * exactly one wins.
   *
   * @return false when it was already decided (nothing is changed)
   */
  boolean decide(Approval decided);
}
