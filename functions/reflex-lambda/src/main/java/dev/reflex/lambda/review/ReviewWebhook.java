package dev.reflex.lambda.review;

import dev.reflex.adapters.pullrequests.GitHubWebhookVerifier;
import dev.reflex.adapters.pullrequests.GitLabWebhookVerifier;
import dev.reflex.adapters.pullrequests.MalformedWebhookException;
import dev.reflex.adapters.pullrequests.ReviewEvent;
import dev.reflex.adapters.pullrequests.WebhookRejectedException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The hosting service's webhook, as sync hears it: authenticated by the configured provider's
 * verifier (GitHub's HMAC signature, GitLab's token), then read as "the target branch moved" or
 * "a review ended", which are worth a sync; anything else is authentic but changes nothing. The
 * verifier follows configuration, never the request: a delivery cannot pick how it is checked.
 */
public final class ReviewWebhook {

  /** Whether a delivery calls for a sync, and why, in one line. */
  public record Decision(boolean sync, String reason) {}

  private final ReviewWiring.Provider provider;
  private final GitHubWebhookVerifier github;
  private final GitLabWebhookVerifier gitlab;
  private final String targetBranch;

  /** @param secret the webhook secret (GitHub) or token (GitLab), read on each delivery */
  public ReviewWebhook(ReviewWiring.Provider provider, Supplier<String> secret, String targetBranch) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.github = new GitHubWebhookVerifier(secret);
    this.gitlab = new GitLabWebhookVerifier(secret);
    this.targetBranch = Objects.requireNonNull(targetBranch, "targetBranch");
  }

  /**
   * @throws WebhookRejectedException when the delivery is not authentic (or no webhook is
   *     configured for the provider): the caller answers 401 and syncs nothing
   * @throws MalformedWebhookException when an authentic delivery is not the event it announces
   */
  public Decision read(Map<String, String> headers, byte[] body) {
    Optional<ReviewEvent> event = switch (provider) {
      case GITHUB -> github.read(headers, body);
      case GITLAB -> gitlab.read(headers, body);
      case NONE, CODECOMMIT -> throw new WebhookRejectedException("no webhook is configured for review provider "
          + provider.name().toLowerCase(java.util.Locale.ROOT) + ": every delivery is refused");
    };
    if (event.isEmpty()) {
      return new Decision(false, "event ignored: sync acts on pushes and reviews");
    }
    ReviewEvent review = event.get();
    if (review.closed()) {
      return new Decision(true, "pull request from " + review.branch() + (review.merged() ? " merged" : " closed"));
    }
    if (targetBranch.equals(review.branch())) {
      return new Decision(true, "push to " + targetBranch);
    }
    return new Decision(false, "event ignored: " + review.branch() + " is not " + targetBranch
        + " and no review ended");
  }
}
