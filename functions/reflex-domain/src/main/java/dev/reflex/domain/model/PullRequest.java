package dev.reflex.domain.model;

import java.util.Objects;

/**
 * A request to merge a learned playbook's review branch into the playbook repository's target
 * branch, as the hosting service (GitHub, GitLab, CodeCommit) or the local provider knows it.
 *
 * @param id the provider's own id as text ({@code 42} on GitHub, {@code pr-...} locally)
 * @param provider which provider holds it, e.g. {@code github}, {@code local}
 * @param branch the review branch, {@code learned/<signature-slug>}
 * @param targetBranch the branch it merges into, usually {@code main}
 * @param url where a person reviews it; may be empty for the local provider
 * @param headSha the commit at the tip of {@code branch} when last read; may be {@code null}
 */
public record PullRequest(String id, String provider, String branch, String targetBranch, String title, String url,
    PullRequestState state, String headSha) {

  public PullRequest {
    requireText(id, "id");
    requireText(provider, "provider");
    requireText(branch, "branch");
    requireText(targetBranch, "targetBranch");
    title = Objects.requireNonNullElse(title, branch);
    url = Objects.requireNonNullElse(url, "");
    Objects.requireNonNull(state, "state");
  }

  public boolean open() {
    return state == PullRequestState.OPEN;
  }

  public PullRequest withState(PullRequestState newState) {
    return new PullRequest(id, provider, branch, targetBranch, title, url, newState, headSha);
  }

  public PullRequest withHeadSha(String sha) {
    return new PullRequest(id, provider, branch, targetBranch, title, url, state, sha);
  }

  /** {@code local #pr-1 (learned/x → main)}: how the incident timeline names it. */
  public String describe() {
    return provider + " pull request " + id + " (" + branch + " -> " + targetBranch + ")"
        + (url.isEmpty() ? "" : " " + url);
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("pull request " + field + " is required");
    }
  }
}
