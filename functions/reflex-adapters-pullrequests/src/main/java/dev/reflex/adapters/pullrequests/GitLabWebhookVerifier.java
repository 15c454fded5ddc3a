package dev.reflex.adapters.pullrequests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.adapters.pullrequests.internal.Headers;
import dev.reflex.adapters.pullrequests.internal.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Authenticates and reads GitLab webhook deliveries.
 *
 * <p>GitLab does not sign the body: it sends the configured secret token as {@code X-Gitlab-Token},
 * compared here in constant time (over SHA-256 digests, so not even the length leaks). Events
 * ({@code object_kind}): {@code push} and {@code merge_request} become a {@link ReviewEvent}; the
 * rest ({@code tag_push}, {@code note}, ...) are authenticated and ignored.
 */
public final class GitLabWebhookVerifier {

  public static final String TOKEN_HEADER = "X-Gitlab-Token";

  private final Supplier<String> secret;

  /** @param secret the webhook's secret token, read on each delivery */
  public GitLabWebhookVerifier(Supplier<String> secret) {
    this.secret = Objects.requireNonNull(secret, "secret");
  }

  /** @throws WebhookRejectedException when the token is missing or is not the configured one */
  public void verify(Map<String, String> headers) {
    String received = Headers.first(headers, TOKEN_HEADER)
        .orElseThrow(() -> new WebhookRejectedException("GitLab webhook without " + TOKEN_HEADER));
    String expected = secret.get();
    if (expected == null || expected.isEmpty()) {
      throw new WebhookRejectedException("no GitLab webhook token is configured: every delivery is refused");
    }
    if (!MessageDigest.isEqual(sha256(expected), sha256(received))) {
      throw new WebhookRejectedException("GitLab webhook token does not match");
    }
  }

  /**
   * Verifies the delivery, then reads it.
   *
   * @return the event, or empty for an event sync does not act on
   * @throws WebhookRejectedException when the token is missing or does not match
   * @throws MalformedWebhookException when the body is not a GitLab event
   */
  public Optional<ReviewEvent> read(Map<String, String> headers, byte[] body) {
    verify(headers);
    JsonNode event = parse(body);
    return switch (event.path("object_kind").asText("")) {
      case "push" -> push(event);
      case "merge_request" -> mergeRequest(event);
      default -> Optional.empty();
    };
  }

  private static Optional<ReviewEvent> push(JsonNode push) {
    String ref = push.path("ref").asText("");
    if (!ref.startsWith("refs/heads/")) {
      throw new MalformedWebhookException("GitLab push event without a branch ref");
    }
    String after = push.path("after").asText("");
    if (after.matches("0{40}")) {
      // the branch was deleted
      return Optional.empty();
    }
    String head = push.path("checkout_sha").isTextual() ? push.path("checkout_sha").asText() : after;
    return Optional.of(ReviewEvent.push(ref.substring("refs/heads/".length()), head));
  }

  private static Optional<ReviewEvent> mergeRequest(JsonNode event) {
    JsonNode mr = event.path("object_attributes");
    String branch = mr.path("source_branch").asText("");
    if (branch.isEmpty()) {
      throw new MalformedWebhookException("GitLab merge_request event without a source branch");
    }
    String action = mr.path("action").asText("");
    String state = mr.path("state").asText("");
    boolean merged = "merge".equals(action) || "merged".equals(state);
    boolean closed = merged || "close".equals(action) || "closed".equals(state);
    return Optional.of(new ReviewEvent(branch, merged, closed, mr.path("last_commit").path("id").asText("")));
  }

  private static JsonNode parse(byte[] body) {
    try {
      JsonNode node = Json.parse(new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8));
      if (!node.isObject()) {
        throw new MalformedWebhookException("GitLab webhook body is not a JSON object");
      }
      return node;
    } catch (IllegalArgumentException e) {
      throw new MalformedWebhookException("GitLab webhook body is not JSON", e);
    }
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
