package dev.reflex.domain.model;

/** Where a pull request (a merge request on GitLab) stands. Only an OPEN one can change. */
public enum PullRequestState {
  OPEN,
  /** Merged into its target branch: the learned playbook becomes ACTIVE at that version. */
  MERGED,
  /** Closed without merging: the draft is REJECTED for its signature. */
  CLOSED
}
