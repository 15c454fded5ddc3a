package dev.reflex.lambda.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.adapters.pullrequests.WebhookRejectedException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ReviewWebhookTest {

  static final String SECRET = "hook-secret";

  private final ReviewWebhook github = new ReviewWebhook(ReviewWiring.Provider.GITHUB, () -> SECRET, "main");

  static String sign(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> github(String event, String signature) {
    return Map.of("x-github-event", event, "x-hub-signature-256", signature);
  }

  @Test
  void read_whenGithubSignsAPushToTheTargetBranch_callsForASync() {
    byte[] body = "{\"ref\":\"refs/heads/main\",\"after\":\"abc\"}".getBytes(StandardCharsets.UTF_8);

    ReviewWebhook.Decision decision = github.read(github("push", sign(SECRET, body)), body);

    assertThat(decision.sync()).isTrue();
    assertThat(decision.reason()).isEqualTo("push to main");
  }

  @Test
  void read_whenAPullRequestIsClosedWithoutMerging_callsForASync() {
    byte[] body = ("{\"action\":\"closed\",\"pull_request\":{\"state\":\"closed\",\"merged\":false,"
        + "\"head\":{\"ref\":\"learned/x\",\"sha\":\"abc\"}}}").getBytes(StandardCharsets.UTF_8);

    ReviewWebhook.Decision decision = github.read(github("pull_request", sign(SECRET, body)), body);

    assertThat(decision.sync()).isTrue();
    assertThat(decision.reason()).contains("learned/x closed");
  }

  @Test
  void read_whenAReviewBranchIsPushed_changesNothing() {
    byte[] body = "{\"ref\":\"refs/heads/learned/x\",\"after\":\"abc\"}".getBytes(StandardCharsets.UTF_8);

    assertThat(github.read(github("push", sign(SECRET, body)), body).sync()).isFalse();
  }

  @Test
  void read_whenTheSignatureIsForged_isRejected() {
    byte[] body = "{\"ref\":\"refs/heads/main\",\"after\":\"abc\"}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> github.read(github("push", sign("guessed", body)), body))
        .isInstanceOf(WebhookRejectedException.class).hasMessageNotContaining(SECRET);
  }

  @Test
  void read_whenNoSecretIsConfigured_rejectsEvenAnUnsignedDelivery() {
    ReviewWebhook unconfigured = new ReviewWebhook(ReviewWiring.Provider.GITHUB, () -> null, "main");
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> unconfigured.read(github("push", "sha256=" + "0".repeat(64)), body))
        .isInstanceOf(WebhookRejectedException.class);
  }

  @Test
  void read_whenGitlabSendsItsTokenForAMerge_callsForASync() {
    ReviewWebhook gitlab = new ReviewWebhook(ReviewWiring.Provider.GITLAB, () -> SECRET, "main");
    byte[] body = ("{\"object_kind\":\"merge_request\",\"object_attributes\":{\"source_branch\":\"learned/x\","
        + "\"action\":\"merge\",\"state\":\"merged\"}}").getBytes(StandardCharsets.UTF_8);

    assertThat(gitlab.read(Map.of("X-Gitlab-Token", SECRET), body).sync()).isTrue();
    assertThatThrownBy(() -> gitlab.read(Map.of("X-Gitlab-Token", "wrong"), body))
        .isInstanceOf(WebhookRejectedException.class);
  }

  @Test
  void read_whenTheProviderHasNoWebhook_rejectsEveryDelivery() {
    ReviewWebhook none = new ReviewWebhook(ReviewWiring.Provider.NONE, () -> SECRET, "main");
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> none.read(github("push", sign(SECRET, body)), body))
        .isInstanceOf(WebhookRejectedException.class);
  }
}
