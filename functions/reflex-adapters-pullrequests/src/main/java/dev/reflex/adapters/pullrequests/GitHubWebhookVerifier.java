package dev.reflex.adapters.pullrequests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.adapters.pullrequests.internal.Headers;
import dev.reflex.adapters.pullrequests.internal.Json;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates and reads GitHub webhook deliveries.
 *
 * <p>GitHub signs the raw body with the webhook secret: {@code X-Hub-Signature-256: sha256=<hex
 * HMAC-SHA256>}. The signature is recomputed over the exact bytes received and compared in
 * constant time; anything else (no header, the older SHA-1 header alone, another secret, a body
 * changed in transit) is a {@link WebhookRejectedException}. Events ({@code X-GitHub-Event}):
 * {@code push} and {@code pull_request} become a {@link ReviewEvent}; the rest ({@code ping}, ...)
 * are authenticated and ignored.
 */
public final class GitHubWebhookVerifier {

  public static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
  public static final String EVENT_HEADER = "X-GitHub-Event";
  private static final String PREFIX = "sha256=";

  private final Supplier<String> secret;

  /** @param secret the webhook secret, read on each delivery (so a rotated secret applies at once) */
  public GitHubWebhookVerifier(Supplier<String> secret) {
    this.secret = Objects.requireNonNull(secret, "secret");
  }

  /** @throws WebhookRejectedException when the signature is missing or does not match the body */
  public void verify(Map<String, String> headers, byte[] body) {
    String received = Headers.first(headers, SIGNATURE_HEADER).map(String::strip)
        .orElseThrow(() -> new WebhookRejectedException("GitHub webhook without " + SIGNATURE_HEADER));
    String expected = PREFIX + HexFormat.of().formatHex(hmac(key(), body == null ? new byte[0] : body));
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        received.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
      throw new WebhookRejectedException("GitHub webhook signature does not match the body");
    }
  }

  /**
   * Verifies the delivery, then reads it.
   *
   * @return the event, or empty for an event sync does not act on
   * @throws WebhookRejectedException when the signature is missing or does not match
   * @throws MalformedWebhookException when the body is not the announced event
   */
  public Optional<ReviewEvent> read(Map<String, String> headers, byte[] body) {
    verify(headers, body);
    String event = Headers.first(headers, EVENT_HEADER).map(String::strip).orElse("");
    return switch (event) {
      case "push" -> push(parse(body));
      case "pull_request" -> pullRequest(parse(body));
      default -> Optional.empty();
    };
  }

  private static Optional<ReviewEvent> push(JsonNode push) {
    String ref = push.path("ref").asText("");
    if (!ref.startsWith("refs/")) {
      throw new MalformedWebhookException("GitHub push event without a ref");
    }
    if (!ref.startsWith("refs/heads/")) {
      return Optional.empty(); // a tag
    }
    String branch = ref.substring("refs/heads/".length());
    if (push.path("deleted").asBoolean(false)) {
      return Optional.empty();
    }
    return Optional.of(ReviewEvent.push(branch, push.path("after").asText("")));
  }

  private static Optional<ReviewEvent> pullRequest(JsonNode event) {
    JsonNode pr = event.path("pull_request");
    String branch = pr.path("head").path("ref").asText("");
    if (branch.isEmpty()) {
      throw new MalformedWebhookException("GitHub pull_request event without a head branch");
    }
    boolean closed = "closed".equals(event.path("action").asText()) || "closed".equals(pr.path("state").asText());
    boolean merged = closed && pr.path("merged").asBoolean(false);
    return Optional.of(new ReviewEvent(branch, merged, closed, pr.path("head").path("sha").asText("")));
  }

  private static JsonNode parse(byte[] body) {
    try {
      JsonNode node = Json.parse(new String(body, StandardCharsets.UTF_8));
      if (!node.isObject()) {
        throw new MalformedWebhookException("GitHub webhook body is not a JSON object");
      }
      return node;
    } catch (IllegalArgumentException e) {
      throw new MalformedWebhookException("GitHub webhook body is not JSON", e);
    }
  }

  private byte[] key() {
    String value = secret.get();
    if (value == null || value.isEmpty()) {
      throw new WebhookRejectedException("no GitHub webhook secret is configured: every delivery is refused");
    }
    return value.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] hmac(byte[] key, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}
