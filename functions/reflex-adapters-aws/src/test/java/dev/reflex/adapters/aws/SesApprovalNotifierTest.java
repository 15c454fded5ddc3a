package dev.reflex.adapters.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.reflex.adapters.aws.AwsTestSupport.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.reflex.domain.model.ApprovalNotice;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sesv2.SesV2Client;

class SesApprovalNotifierTest {

  private static final String LINK = "https://reflex.example.com/approvals/apr-1/ops%40example.com?sig=AbC_d-1";
  private static final String TASK_TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAeTaskTokenXyz";
  private static final String SUMMARY = """
      Incident inc-42 (service_down|payment-api|prod)
      Playbook: restart-service@1.2.0
      Match: signature, confidence 0.91
      Risk: safe_write
      Checks:
        - runbook at https://wiki.example.com/runbook and www.evil.example <script>alert(1)</script>
        - annotation: db password=hunter2 & "quotes"
      Expires at: 2026-01-02T00:00:00Z
      """;

  private static final String SUBJECT = "[Reflex] Approval needed: service_down|payment-api|prod (safe_write)";

  private static WireMockServer server;
  private static SesV2Client ses;

  @BeforeAll
  static void start() {
    server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    server.start();
    ses = AwsTestSupport.ses(server);
  }

  @AfterAll
  static void stop() {
    ses.close();
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.resetAll();
    server.stubFor(post(urlEqualTo("/v2/email/outbound-emails")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody("{\"MessageId\":\"m-1\"}")));
  }

  private static List<JsonNode> sent() {
    return server.findAll(postRequestedFor(urlEqualTo("/v2/email/outbound-emails"))).stream()
        .map(AwsTestSupport::body).toList();
  }

  private static SesApprovalNotifier notifier(String configurationSet) {
    return new SesApprovalNotifier(ses, new SesApprovalNotifier.Config("reflex@example.com", configurationSet));
  }

  /** A notice to these approvers; each link ends in its approver's address, ops@example.com's is {@link #LINK}. */
  static ApprovalNotice noticeOf(String subject, String evidence, String... approvers) {
    return new ApprovalNotice("apr-1", "inc-42", subject, evidence, Instant.parse("2026-01-02T00:00:00Z"), 1,
        Arrays.stream(approvers).map(a -> new ApprovalNotice.PersonalLink(a,
            "https://reflex.example.com/approvals/apr-1/" + a.replace("@", "%40") + "?sig=AbC_d-1")).toList());
  }

  static ApprovalNotice notice(String... approvers) {
    return noticeOf(SUBJECT, SUMMARY, approvers);
  }

  @Test
  void approvalRequested_sendsOneMessagePerApproverWithSubjectAndConfigurationSet() {
    notifier("reflex-approvals").approvalRequested(notice("ops@example.com", "lead@example.com"));

    List<JsonNode> sent = sent();
    assertThat(sent).hasSize(2);
    assertThat(sent).extracting(m -> m.at("/Destination").toString()).containsExactly(
        "{\"ToAddresses\":[\"ops@example.com\"]}", "{\"ToAddresses\":[\"lead@example.com\"]}");
    JsonNode message = sent.get(0);
    assertThat(message.get("FromEmailAddress").asText()).isEqualTo("reflex@example.com");
    assertThat(message.get("ConfigurationSetName").asText()).isEqualTo("reflex-approvals");
    assertThat(message.at("/Content/Simple/Subject/Data").asText())
        .isEqualTo(SUBJECT);
    assertThat(sent.get(1).at("/Content/Simple/Body/Text/Data").asText())
        .as("each approver gets their own link only").contains("/apr-1/lead%40example.com?sig=")
        .doesNotContain("ops%40example.com");
    assertThat(message.at("/Content/Simple/Subject/Charset").asText()).isEqualTo("UTF-8");
    assertThat(server.findAll(postRequestedFor(urlEqualTo("/v2/email/outbound-emails"))).get(0)
        .getHeader("Content-Type")).startsWith("application/json");
  }

  @Test
  void approvalRequested_bodiesCarrySummaryAndLinkAndNoTaskToken() {
    notifier(null).approvalRequested(notice("ops@example.com"));

    JsonNode message = sent().get(0);
    String text = message.at("/Content/Simple/Body/Text/Data").asText();
    String html = message.at("/Content/Simple/Body/Html/Data").asText();
    assertThat(message.has("ConfigurationSetName")).isFalse();
    assertThat(text).contains("Playbook: restart-service@1.2.0", "Risk: safe_write", LINK, "Approval apr-1");
    assertThat(html).contains("<a href=\"" + LINK + "\">", "Risk: safe_write");
    assertThat(text + html).doesNotContain(TASK_TOKEN).doesNotContainIgnoringCase("task token");
  }

  @Test
  void approvalRequested_linkIsTheOnlyUrl() {
    notifier(null).approvalRequested(notice("ops@example.com"));

    JsonNode message = sent().get(0);
    String text = message.at("/Content/Simple/Body/Text/Data").asText();
    String html = message.at("/Content/Simple/Body/Html/Data").asText();
    for (String body : List.of(text, html)) {
      Matcher urls = Pattern.compile("(?i)(?:https?://|www\\.)[^\\s\"<]+").matcher(body);
      while (urls.find()) {
        assertThat(urls.group()).isEqualTo(LINK);
      }
    }
    assertThat(Pattern.compile("href=").matcher(html).results().count()).isEqualTo(1);
    assertThat(text).contains("https[:]//wiki.example.com/runbook", "www[.]evil.example");
  }

  @Test
  void approvalRequested_escapesHtmlAndRedactsSecrets() {
    notifier(null).approvalRequested(notice("ops@example.com"));

    JsonNode message = sent().get(0);
    String html = message.at("/Content/Simple/Body/Html/Data").asText();
    assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&amp; &quot;quotes&quot;")
        .doesNotContain("<script>");
    assertThat(message.toString()).doesNotContain("hunter2").contains("password=***");
  }

  @Test
  void approvalRequested_whenSummaryHasNoSignature_namesTheIncidentInSubject() {
    notifier(null).approvalRequested(noticeOf("[Reflex] Approval needed: x\r\nBcc: x@evil", SUMMARY, "ops@example.com"));

    assertThat(sent().get(0).at("/Content/Simple/Subject/Data").asText())
        .isEqualTo("[Reflex] Approval needed: x Bcc: x@evil");
  }

  @Test
  void approvalRequested_whenLinkIsNotHttp_sendsNothing() {
    ApprovalNotice hostile = new ApprovalNotice("apr-1", "inc-42", SUBJECT, SUMMARY, Instant.now(), 1,
        List.of(new ApprovalNotice.PersonalLink("ops@example.com", "javascript:alert(1)")));
    assertThatThrownBy(() -> notifier(null).approvalRequested(hostile))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  @Test
  void approvalRequested_whenSesRefusesOne_stillSendsToOthersAndThrowsNamingIt() {
    server.stubFor(post(urlEqualTo("/v2/email/outbound-emails"))
        .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("bad@example.com"))
        .willReturn(aResponse().withStatus(400).withHeader("x-amzn-ErrorType", "MessageRejected")
            .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Email address is not verified.\"}")));

    assertThatThrownBy(() -> notifier(null).approvalRequested(notice("bad@example.com", "ops@example.com")))
        .isInstanceOf(ApprovalNotificationException.class)
        .hasMessageContaining("bad@example.com (MessageRejected)")
        .hasMessageContaining("the other approvers were notified")
        .hasMessageNotContaining(LINK);
    assertThat(sent()).hasSize(2);
  }

  @Test
  void approvalRequested_whenAnApproverIsNotAnAddress_sendsToTheOthersOnly() {
    ApprovalNotice hostile = new ApprovalNotice("apr-1", "inc-42", SUBJECT, SUMMARY, Instant.now(), 1, List.of(
        new ApprovalNotice.PersonalLink("ops@example.com\r\nbcc: all@example.com", LINK),
        new ApprovalNotice.PersonalLink("lead@example.com", LINK.replace("ops%40", "lead%40"))));
    assertThatThrownBy(() -> notifier(null).approvalRequested(hostile))
        .isInstanceOf(ApprovalNotificationException.class).hasMessageContaining("not an address");
    assertThat(sent()).singleElement()
        .satisfies(m -> assertThat(m.at("/Destination").toString()).contains("lead@example.com"));
  }

  @Test
  void config_whenFromIsNotAnAddress_refuses() {
    assertThatThrownBy(() -> new SesApprovalNotifier.Config("reflex@example.com\r\nBcc: all@example.com", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void approvalRequested_requestIsSignedForSes() {
    notifier(null).approvalRequested(notice("ops@example.com"));

    assertThat(server.findAll(postRequestedFor(urlEqualTo("/v2/email/outbound-emails"))
        .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.containing("/us-east-1/ses/"))))
        .hasSize(1);
    assertThat(body(server.getAllServeEvents().get(0).getRequest()).isObject()).isTrue();
  }

}
