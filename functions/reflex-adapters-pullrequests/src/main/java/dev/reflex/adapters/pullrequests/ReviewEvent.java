package dev.reflex.adapters.pullrequests;

import java.util.Objects;

/**
 * What a hosting service's webhook says happened to a branch, reduced to what sync needs: a push
 * ({@code merged} and {@code closed} both false), a merged pull request or one closed without
 * merging.
 *
 * @param branch the pushed branch, or the pull request's source branch
 * @param headSha the pushed commit, or the pull request's head commit ({@code ""} when the
 *     service did not say)
 */
public record ReviewEvent(String branch, boolean merged, boolean closed, String headSha) {

  public ReviewEvent {
    if (branch == null || branch.isBlank()) {
      throw new IllegalArgumentException("a review event names its branch");
    }
    if (merged && !closed) {
      throw new IllegalArgumentException("a merged pull request is closed too");
    }
    headSha = Objects.requireNonNullElse(headSha, "");
  }

  public static ReviewEvent push(String branch, String headSha) {
    return new ReviewEvent(branch, false, false, headSha);
  }
}
