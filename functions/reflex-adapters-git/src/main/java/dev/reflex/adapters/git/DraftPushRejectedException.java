package dev.reflex.adapters.git;

import dev.reflex.domain.error.ReflexException;

/**
 * The remote refused the draft's branch for a reason a retry cannot fix (branch protection, a
 * hook, permissions). The commit stays on the local branch: nothing is lost, and the next
 * proposal on the same branch pushes it too.
 */
public class DraftPushRejectedException extends ReflexException {
  private final String branch;
  private final String commitSha;

  public DraftPushRejectedException(String branch, String commitSha, String message) {
    super(message);
    this.branch = branch;
    this.commitSha = commitSha;
  }

  public String branch() {
    return branch;
  }

  public String commitSha() {
    return commitSha;
  }
}
