package dev.reflex.domain.port;

import dev.reflex.domain.model.Playbook;
import java.util.Optional;

/**
 * The playbook Git repository as Reflex writes to it: drafts are committed on their own branch
 * ({@code learned/<signature-slug>}) for people to review; nothing lands on the main branch
 * without review.
 */
public interface PlaybookRepository {

  /**
   * Commits the draft's playbook and metadata files on its review branch.
   *
   * @param message the commit message, carrying the incident context
   */
  CommitRef proposeDraft(Playbook draft, String message);

  /** The content of {@code path} at {@code commitSha}, if the file exists there. */
  Optional<String> readFile(String commitSha, String path);

  record CommitRef(String branch, String commitSha) {}
}
