package dev.reflex.domain.error;

/**
 * The playbook repository refused a draft's review branch for a reason a retry cannot fix (branch
 * protection, a hook, permissions). The commit is kept where it was made, so nothing is lost: the
 * next proposal on the same branch publishes it too.
 */
public class DraftNotPublishedException extends ReflexException {

  private final String branch;
  private final String commitSha;

  public DraftNotPublishedException(String branch, String commitSha, String message) {
    super(message);
    this.branch = branch;
    this.commitSha = commitSha;
  }

  /** The review branch that was refused. */
  public String branch() {
    return branch;
  }

  /** The commit kept locally. */
  public String commitSha() {
    return commitSha;
  }
}
