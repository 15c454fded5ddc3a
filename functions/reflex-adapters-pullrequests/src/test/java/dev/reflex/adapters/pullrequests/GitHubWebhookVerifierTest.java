package dev.reflex.adapters.pullrequests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class GitHubWebhookVerifierTest {

  static final String SECRET = "whsec-7Qm2Vx9Lp4Rt8Kz1";
  static final String BRANCH = Fixtures.BRANCH;
  static final String HEAD = "9f2c1e7a4b8d3f6e0a5c2b1d4e7f8a9b0c3d6e1f";

  private final GitHubWebhookVerifier verifier = new GitHubWebhookVerifier(() -> SECRET);

  private static byte[] payload(String resource) {
    return Fixtures.body("webhooks/" + resource).getBytes(StandardCharsets.UTF_8);
  }

  /** The signature GitHub sends: HMAC-SHA256 of the raw body, hex, prefixed. */
  private static String signature(String secret, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
  }

  private static Map<String, String> headers(String event, String signature) {
    return Map.of("X-GitHub-Event", event, "X-Hub-Signature-256", signature,
        "X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958");
  }

  @Test
  void verify_withGitHubsPublishedTestVector_passes() {
    // from GitHub's "Validating webhook deliveries"
    GitHubWebhookVerifier documented = new GitHubWebhookVerifier(() -> "It's a Secret to Everybody");

    assertThatCode(() -> documented.verify(Map.of("X-Hub-Signature-256",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"),
        "Hello, World!".getBytes(StandardCharsets.UTF_8))).doesNotThrowAnyException();
  }

  @Test
  void verify_whenOneByteOfTheTestVectorChanges_isRejected() {
    GitHubWebhookVerifier documented = new GitHubWebhookVerifier(() -> "It's a Secret to Everybody");

    assertThatThrownBy(() -> documented.verify(Map.of("X-Hub-Signature-256",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"),
        "Hello, World?".getBytes(StandardCharsets.UTF_8))).isInstanceOf(WebhookRejectedException.class);
  }

  @Test
  void read_whenSignedWithTheSecret_readsTheMergedPullRequest() throws Exception {
    byte[] body = payload("github-pull-request-merged.json");

    assertThat(verifier.read(headers("pull_request", signature(SECRET, body)), body))
        .contains(new ReviewEvent(BRANCH, true, true, HEAD));
  }

  @Test
  void read_whenSignedWithAnotherSecret_isRejected() throws Exception {
    byte[] body = payload("github-pull-request-merged.json");

    assertThatThrownBy(() -> verifier.read(headers("pull_request", signature("another-secret", body)), body))
        .isInstanceOf(WebhookRejectedException.class).hasMessageNotContaining(SECRET);
  }

  @Test
  void read_whenBodyWasTamperedAfterSigning_isRejected() throws Exception {
    byte[] signed = payload("github-pull-request-closed.json");
    byte[] tampered = new String(signed, StandardCharsets.UTF_8).replace("\"merged\": false", "\"merged\": true")
        .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> verifier.read(headers("pull_request", signature(SECRET, signed)), tampered))
        .isInstanceOf(WebhookRejectedException.class);
  }

  @Test
  void read_whenSignatureHeaderIsMissing_isRejected() {
    byte[] body = payload("github-push.json");

    assertThatThrownBy(() -> verifier.read(Map.of("X-GitHub-Event", "push"), body))
        .isInstanceOf(WebhookRejectedException.class).hasMessageContaining("X-Hub-Signature-256");
  }

  @Test
  void read_whenOnlyTheLegacySha1HeaderIsSent_isRejected() {
    byte[] body = payload("github-push.json");

    assertThatThrownBy(() -> verifier.read(Map.of("X-GitHub-Event", "push",
        "X-Hub-Signature", "sha1=0123456789abcdef0123456789abcdef01234567"), body))
        .isInstanceOf(WebhookRejectedException.class);
  }

  @Test
  void read_whenSignatureLacksThePrefix_isRejected() throws Exception {
    byte[] body = payload("github-push.json");
    String bare = signature(SECRET, body).substring("sha256=".length());

    assertThatThrownBy(() -> verifier.read(headers("push", bare), body)).isInstanceOf(WebhookRejectedException.class);
  }

  @Test
  void read_whenNoSecretIsConfigured_rejectsEveryDelivery() throws Exception {
    byte[] body = payload("github-push.json");
    GitHubWebhookVerifier unconfigured = new GitHubWebhookVerifier(() -> "");

    assertThatThrownBy(() -> unconfigured.read(headers("push", signature(SECRET, body)), body))
        .isInstanceOf(WebhookRejectedException.class).hasMessageContaining("no GitHub webhook secret");
  }

  @Test
  void read_headerNamesIgnoreCase() throws Exception {
    byte[] body = payload("github-push.json");

    assertThat(verifier.read(Map.of("x-github-event", "push", "x-hub-signature-256", signature(SECRET, body)), body))
        .contains(ReviewEvent.push("main", "6dcb09b5b57875f334f61aebed695e2e4193db5e"));
  }

  @Test
  void read_closedWithoutMerge_isClosedNotMerged() throws Exception {
    byte[] body = payload("github-pull-request-closed.json");

    assertThat(verifier.read(headers("pull_request", signature(SECRET, body)), body))
        .contains(new ReviewEvent(BRANCH, false, true, HEAD));
  }

  @Test
  void read_openedPullRequest_isNeitherMergedNorClosed() throws Exception {
    byte[] body = payload("github-pull-request-opened.json");

    assertThat(verifier.read(headers("pull_request", signature(SECRET, body)), body))
        .contains(new ReviewEvent(BRANCH, false, false, HEAD));
  }

  @Test
  void read_ping_isAuthenticatedAndIgnored() throws Exception {
    byte[] body = payload("github-ping.json");

    assertThat(verifier.read(headers("ping", signature(SECRET, body)), body)).isEmpty();
  }

  @Test
  void read_whenSignedBodyIsNotJson_isMalformed() throws Exception {
    byte[] body = "not json".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> verifier.read(headers("push", signature(SECRET, body)), body))
        .isInstanceOf(MalformedWebhookException.class);
  }
}
