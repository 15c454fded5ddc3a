package dev.reflex.adapters.pullrequests;

import dev.reflex.domain.port.PullRequestProvider.PullRequestRequest;

/** The comment left on an open pull request when a new draft arrives for its branch. */
final class UpdateComment {

  private UpdateComment() {}

  /** The request's reason for the update, or a sentence naming the branch when it gives none. */
  static String of(PullRequestRequest request) {
    String reason = request.reasonForUpdate();
    return reason == null || reason.isBlank()
        ? "Reflex pushed a new draft to `" + request.branch() + "`."
        : reason;
  }
}
