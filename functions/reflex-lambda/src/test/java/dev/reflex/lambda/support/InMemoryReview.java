package dev.reflex.lambda.support;

import dev.reflex.lambda.config.ReflexServices;
import dev.reflex.lambda.review.ReviewWebhook;
import dev.reflex.lambda.review.ReviewWiring;
import dev.reflex.testkit.InMemoryReviewedPlaybooks;
import io.quarkus.arc.Unremovable;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Replaces review's Git clone with an in-memory target branch, and configures the webhook as
 * GitHub's with a known secret, so a {@code @QuarkusTest} runs the real sync function and verifier.
 */
@Singleton
@Unremovable
public class InMemoryReview {

  public static final String WEBHOOK_SECRET = "test-review-webhook-secret";

  private volatile InMemoryReviewedPlaybooks target = new InMemoryReviewedPlaybooks();

  /** An empty target branch. */
  public void reset() {
    target = new InMemoryReviewedPlaybooks();
  }

  public InMemoryReviewedPlaybooks target() {
    return target;
  }

  @Produces
  @Singleton
  @Alternative
  @Priority(1)
  ReflexServices.Review inMemoryReview() {
    return new ReflexServices.Review(() -> target.read(), null, "main");
  }

  @Produces
  @Singleton
  @Alternative
  @Priority(1)
  ReviewWebhook githubWebhook() {
    return new ReviewWebhook(ReviewWiring.Provider.GITHUB, () -> WEBHOOK_SECRET, "main");
  }
}
