package dev.reflex.adapters.git;

import dev.reflex.domain.error.DraftNotPublishedException;

/**
 * The remote refused the draft's branch for a reason a retry cannot fix (branch protection, a
 * hook, permissions). The commit stays on the local branch: nothing is lost, and the next
 * proposal on the same branch pushes it too.
 */
public class DraftPushRejectedException extends DraftNotPublishedException {

  public DraftPushRejectedException(String branch, String commitSha, String message) {
    super(branch, commitSha, message);
  }
}
