package dev.reflex.domain.port;

import dev.reflex.domain.model.PullRequest;
import dev.reflex.domain.model.PullRequestState;
import java.util.Objects;
import java.util.Optional;

/**
 * Where people review learned playbooks: the hosting service's pull requests (GitHub, GitLab merge
 * requests, CodeCommit) or, on the embedded default, a pull-request record next to the local bare
 * repository. Reflex opens one pull request per review branch ({@code learned/<signature-slug>})
 * and never merges on its own: merge and close are for the local provider's CLI and for tests.
 *
 * <p>Implementations never put a token in a message, an exception or {@code toString}.
 */
public interface PullRequestProvider {

  /** A short name recorded on incidents, e.g. {@code github}, {@code local}. */
  String name();

  /**
   * Opens a pull request for {@code request.branch()}. Idempotent per branch: when one is open
   * already, it is returned unchanged except for a comment carrying {@code reasonForUpdate} (or a
   * generic one), and no second pull request is opened.
   */
  PullRequest open(PullRequestRequest request);

  /** The open pull request of this branch, if any. */
  Optional<PullRequest> findOpen(String branch);

  /**
   * The most recent pull request of this branch in any state, so that sync can tell a merged or
   * closed review from one never opened. The default only sees open ones.
   */
  default Optional<PullRequest> findLatest(String branch) {
    return findOpen(branch);
  }

  /** Adds a comment (Markdown) to the pull request's conversation. */
  void comment(PullRequest pullRequest, String markdown);

  /** The current state of pull request {@code id}. */
  PullRequestState state(String id);

  /**
   * Merges pull request {@code id} into its target branch, where the provider lets Reflex do so.
   *
   * @throws UnsupportedOperationException when merging happens only in the hosting service's UI
   */
  default PullRequest merge(String id) {
    throw new UnsupportedOperationException(name() + " pull requests are merged by people in the hosting service");
  }

  /**
   * Closes pull request {@code id} without merging, recording why.
   *
   * @throws UnsupportedOperationException when closing happens only in the hosting service's UI
   */
  default PullRequest close(String id, String reason) {
    throw new UnsupportedOperationException(name() + " pull requests are closed by people in the hosting service");
  }

  /**
   * What to open.
   *
   * @param targetBranch the branch to merge into; {@code null} means the provider's configured one
   * @param bodyMarkdown the review page
   * @param reasonForUpdate the comment added when a pull request for the branch is open already
   */
  record PullRequestRequest(String branch, String targetBranch, String title, String bodyMarkdown,
      String reasonForUpdate) {
    public PullRequestRequest {
      if (branch == null || branch.isBlank()) {
        throw new IllegalArgumentException("pull request branch is required");
      }
      title = Objects.requireNonNullElse(title, branch);
      bodyMarkdown = Objects.requireNonNullElse(bodyMarkdown, "");
    }
  }
}
