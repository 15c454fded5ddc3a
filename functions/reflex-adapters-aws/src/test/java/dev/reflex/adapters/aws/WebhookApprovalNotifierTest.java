package dev.reflex.adapters.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.reflex.domain.model.ApprovalNotice;
import dev.reflex.domain.port.SecretsProvider;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookApprovalNotifierTest {

  private static final String HOOK_PATH = "/services/T000/B000/XXXXSECRETPATH";
  private static final String SUMMARY = "Incident inc-42 (service_down|payment-api|prod)\n"
      + "Risk: safe_write\nSee <https://evil.example|click here> and [docs](https://evil.example)\n";

  private static WireMockServer server;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.resetAll();
  }

  private WebhookApprovalNotifier notifier(WebhookApprovalNotifier.Flavor flavor) {
    SecretsProvider secrets = name -> (server.baseUrl() + HOOK_PATH).getBytes(StandardCharsets.UTF_8);
    return new WebhookApprovalNotifier(HTTP, secrets, "reflex/slack-webhook", flavor, Duration.ofSeconds(5));
  }

  private static String sentText() {
    return AwsTestSupport.body(server.findAll(postRequestedFor(urlEqualTo(HOOK_PATH))).get(0)).get("text").asText();
  }

  private static final ApprovalNotice NOTICE = SesApprovalNotifierTest.noticeOf(
      "[Reflex] Approval needed: service_down|payment-api|prod", SUMMARY, "ops@example.com", "lead@example.com");

  @Test
  void approvalRequested_toSlack_postsEvidenceAndApproversButNoLink() {
    server.stubFor(post(urlEqualTo(HOOK_PATH)).willReturn(aResponse().withStatus(200).withBody("ok")));

    notifier(WebhookApprovalNotifier.Flavor.SLACK).approvalRequested(NOTICE);

    String text = sentText();
    assertThat(text).startsWith("*[Reflex] Approval needed: service_down|payment-api|prod*")
        .contains("Risk: safe_write", "1 of 2 approvers must approve: ops[at]example.com, lead[at]example.com")
        .contains("&lt;https[:]//evil.example|click here&gt;")
        .doesNotContain("sig=", "/approvals/");
    assertThat(Pattern.compile("https?://").matcher(text).results().count()).isZero();
    assertThat(server.findAll(postRequestedFor(urlEqualTo(HOOK_PATH))).get(0).getHeader("Content-Type"))
        .startsWith("application/json");
  }

  @Test
  void approvalRequested_toTeams_escapesEvidenceLinksAndPostsNoLink() {
    server.stubFor(post(urlEqualTo(HOOK_PATH)).willReturn(aResponse().withStatus(200).withBody("1")));

    notifier(WebhookApprovalNotifier.Flavor.TEAMS).approvalRequested(NOTICE);

    String text = sentText();
    assertThat(text).contains("\\[docs\\]\\(https\\[:\\]//evil.example\\)").doesNotContain("sig=");
    assertThat(Pattern.compile("https?://").matcher(text).results().count()).isZero();
  }

  @Test
  void approvalRequested_whenWebhookFails_throwsWithoutTheUrl() {
    server.stubFor(post(urlEqualTo(HOOK_PATH)).willReturn(aResponse().withStatus(500)));

    assertThatThrownBy(() -> notifier(WebhookApprovalNotifier.Flavor.SLACK)
        .approvalRequested(NOTICE))
        .isInstanceOf(ApprovalNotificationException.class)
        .hasMessage("the approval webhook (secret 'reflex/slack-webhook') answered HTTP 500")
        .hasMessageNotContaining("XXXXSECRETPATH");
  }

  @Test
  void approvalRequested_whenSecretIsNotAUrl_throwsWithoutTheValue() {
    WebhookApprovalNotifier notifier = new WebhookApprovalNotifier(HTTP,
        name -> "ftp://hooks.example/XXXXSECRETPATH".getBytes(StandardCharsets.UTF_8), "reflex/slack-webhook",
        WebhookApprovalNotifier.Flavor.SLACK, null);

    assertThatThrownBy(() -> notifier.approvalRequested(NOTICE))
        .isInstanceOf(ApprovalNotificationException.class)
        .hasMessageNotContaining("XXXXSECRETPATH");
  }
}
