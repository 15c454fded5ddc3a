package dev.reflex.domain.port;

import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.Signature;
import java.util.List;
import java.util.Optional;

/**
 * Playbook metadata and learning numbers (confidence, success and failure counts). Content is in
 * the playbook Git repository; this store says which version is active and how well it worked.
 */
public interface PlaybookStore {

  Optional<Playbook> find(String id);

  /** Playbooks drafted for exactly this signature, any status. */
  List<Playbook> findBySignature(Signature signature);

  /** Playbooks that declare this anomaly type, any source and status. */
  List<Playbook> findByAnomalyType(String anomalyType);

  List<Playbook> list();

  /**
   * Creates a playbook record.
   *
   * @throws dev.reflex.domain.error.PlaybookAlreadyExistsException when the id is taken
   */
  Playbook create(Playbook playbook);

  /**
   * Writes {@code playbook} if the stored revision equals {@code playbook.revision()}.
   *
   * @return the stored playbook with its revision incremented
   * @throws dev.reflex.domain.error.ConcurrentUpdateException when the stored copy has moved on
   */
  Playbook update(Playbook playbook);
}
