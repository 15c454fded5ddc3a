package dev.reflex.domain.port;

import dev.reflex.domain.model.Approval;
import java.util.Optional;

/** Pending and decided approvals; the task token never leaves this store except to resume. */
public interface ApprovalStore {

  /** @throws IllegalStateException when an approval with this id exists already */
  void create(Approval approval);

  Optional<Approval> find(String id);

  Optional<Approval> findByIncident(String incidentId);

  /**
   * Stores {@code next} only if the stored approval is still at version {@code next.version() - 1}
   * (compare and set). Of two concurrent votes exactly one is written; the other reads again and
   * adds its vote to the new version, so no vote is lost.
   *
   * @return false when the stored version moved on, or there is no such approval (nothing changed)
   */
  boolean update(Approval next);
}
