package dev.reflex.adapters.pullrequests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GitLabWebhookVerifierTest {

  static final String TOKEN = "glwh-Hk3Np8Wq2Zs6Tc9X";
  static final String HEAD = "9f2c1e7a4b8d3f6e0a5c2b1d4e7f8a9b0c3d6e1f";

  private final GitLabWebhookVerifier verifier = new GitLabWebhookVerifier(() -> TOKEN);

  private static byte[] payload(String resource) {
    return Fixtures.body("webhooks/" + resource).getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> headers(String event, String token) {
    return Map.of("X-Gitlab-Event", event, "X-Gitlab-Token", token);
  }

  @Test
  void verify_whenTokenMatches_passes() {
    assertThatCode(() -> verifier.verify(headers("Push Hook", TOKEN))).doesNotThrowAnyException();
  }

  @Test
  void verify_whenTokenDiffers_isRejected() {
    assertThatThrownBy(() -> verifier.verify(headers("Push Hook", TOKEN + "x")))
        .isInstanceOf(WebhookRejectedException.class).hasMessageNotContaining(TOKEN);
  }

  @Test
  void verify_whenTokenIsMissing_isRejected() {
    assertThatThrownBy(() -> verifier.verify(Map.of("X-Gitlab-Event", "Push Hook")))
        .isInstanceOf(WebhookRejectedException.class).hasMessageContaining("X-Gitlab-Token");
  }

  @Test
  void verify_whenNoTokenIsConfigured_rejectsEveryDelivery() {
    GitLabWebhookVerifier unconfigured = new GitLabWebhookVerifier(() -> null);

    assertThatThrownBy(() -> unconfigured.verify(headers("Push Hook", "")))
        .isInstanceOf(WebhookRejectedException.class).hasMessageContaining("no GitLab webhook token");
  }

  @Test
  void read_push_readsBranchAndCheckoutSha() {
    assertThat(verifier.read(headers("Push Hook", TOKEN), payload("gitlab-push.json")))
        .contains(ReviewEvent.push("main", "6dcb09b5b57875f334f61aebed695e2e4193db5e"));
  }

  @Test
  void read_whenTokenIsWrong_isRejectedBeforeTheBodyIsRead() {
    assertThatThrownBy(() -> verifier.read(headers("Push Hook", "guess"), "not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(WebhookRejectedException.class);
  }

  @Test
  void read_mergedMergeRequest_isMergedAndClosed() {
    assertThat(verifier.read(headers("Merge Request Hook", TOKEN), payload("gitlab-merge-request-merged.json")))
        .contains(new ReviewEvent(Fixtures.BRANCH, true, true, HEAD));
  }

  @Test
  void read_closedMergeRequest_isClosedNotMerged() {
    assertThat(verifier.read(headers("Merge Request Hook", TOKEN), payload("gitlab-merge-request-closed.json")))
        .contains(new ReviewEvent(Fixtures.BRANCH, false, true, HEAD));
  }

  @Test
  void read_openedMergeRequest_isNeitherMergedNorClosed() {
    assertThat(verifier.read(headers("Merge Request Hook", TOKEN), payload("gitlab-merge-request-opened.json")))
        .contains(new ReviewEvent(Fixtures.BRANCH, false, false, HEAD));
  }

  @Test
  void read_otherEventKinds_areIgnored() {
    byte[] note = "{\"object_kind\":\"note\",\"object_attributes\":{\"note\":\"LGTM\"}}"
        .getBytes(StandardCharsets.UTF_8);

    assertThat(verifier.read(headers("Note Hook", TOKEN), note)).isEmpty();
  }

  @Test
  void read_whenBodyIsNotJson_isMalformed() {
    assertThatThrownBy(() -> verifier.read(headers("Push Hook", TOKEN), "<html>".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedWebhookException.class);
  }
}
