package dev.reflex.lambda.approval;

import static dev.reflex.lambda.support.MockLambda.invoke;
import static dev.reflex.lambda.support.MockLambda.sample;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.domain.model.Approval;
import dev.reflex.domain.model.ApprovalNotice;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.service.RequestApproval;
import dev.reflex.domain.service.ResolveApproval;
import dev.reflex.lambda.intake.AlertIntake;
import dev.reflex.lambda.support.FunctionProfiles;
import dev.reflex.lambda.support.InMemoryAdapters;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** "approval" behind the API Gateway HTTP API routes, as its Lambda runs it. */
@QuarkusTest
@TestProfile(FunctionProfiles.Approval.class)
class ApprovalFunctionIT {

  private static final String TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAA" + "dG9rZW4".repeat(30);

  @Inject InMemoryAdapters adapters;
  @Inject AlertIntake intake;
  @Inject RequestApproval requestApproval;

  private Approval approval;
  private ApprovalNotice notice;

  @BeforeEach
  void requested() {
    adapters.reset();
    String incidentId = intake.accept(sample("alertmanager/seed-day1-payment-api-latency.json")).incidents().get(0).id();
    approval = requestApproval.request(incidentId, TOKEN, Duration.ofHours(1));
    notice = adapters.world().notifier().last();
  }

  /** An HTTP API (payload 2.0) event for the link, as API Gateway sends it. */
  private static Map<String, Object> event(String method, String url, String body) {
    URI uri = URI.create(url);
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("version", "2.0");
    event.put("routeKey", method + " /approvals/{id}/{approver}");
    event.put("rawPath", uri.getRawPath());
    event.put("rawQueryString", method.equals("GET") ? uri.getRawQuery() : "");
    event.put("requestContext", Map.of("http", Map.of("method", method, "path", uri.getRawPath(),
        "sourceIp", "198.51.100.23", "userAgent", "Mozilla/5.0 (approver)")));
    if (body != null) {
      event.put("body", Base64.getEncoder().encodeToString(body.getBytes()));
      event.put("isBase64Encoded", true);
    }
    return event;
  }

  private String link(String approver) {
    return notice.links().stream().filter(l -> l.approver().equals(approver)).findFirst().orElseThrow().url();
  }

  private static JsonNode post(String url, String decision) {
    return invoke(event("POST", url, URI.create(url).getRawQuery() + "&decision=" + decision + "&reason=ok"));
  }

  @Test
  void get_showsTheConfirmationPageAndChangesNothing() {
    JsonNode response = invoke(event("GET", link("sre-oncall@example.com"), null));

    assertThat(response.path("statusCode").asInt()).isEqualTo(200);
    assertThat(response.path("headers").path("Content-Type").asText()).isEqualTo("text/html; charset=utf-8");
    assertThat(response.path("headers").path("Cache-Control").asText()).isEqualTo("no-store");
    assertThat(response.path("body").asText())
        .contains("<form method=\"post\" action=\"/approvals/" + approval.id() + "/sre-oncall%40example.com\">")
        .contains("Evidence").doesNotContain(TOKEN);
    assertThat(adapters.world().approvals().find(approval.id()).orElseThrow().votes()).isEmpty();
    assertThat(adapters.world().callbacks().successes()).isEmpty();
  }

  @Test
  void post_approve_recordsWhoAndWhereAndSendsTaskSuccessOnce() {
    JsonNode response = post(link("sre-oncall@example.com"), "approve");

    assertThat(response.path("statusCode").asInt()).isEqualTo(200);
    assertThat(response.path("body").asText()).contains("Approved: the remediation continues.");
    Approval stored = adapters.world().approvals().find(approval.id()).orElseThrow();
    assertThat(stored.votes()).singleElement().satisfies(vote -> {
      assertThat(vote.approver()).isEqualTo("sre-oncall@example.com");
      assertThat(vote.source().describe()).isEqualTo("link from 198.51.100.23 (Mozilla/5.0 (approver))");
    });
    assertThat(adapters.world().callbacks().successes()).singleElement()
        .satisfies(s -> assertThat(s.taskToken()).isEqualTo(TOKEN));
    assertThat(adapters.world().incidents().find(approval.incidentId()).orElseThrow().status())
        .isEqualTo(IncidentStatus.APPROVED);

    assertThat(post(link("sre-oncall@example.com"), "approve").path("statusCode").asInt()).as("replayed")
        .isEqualTo(409);
    assertThat(adapters.world().callbacks().successes()).hasSize(1);
  }

  @Test
  void post_reject_sendsTaskFailure() {
    JsonNode response = post(link("platform-leads@example.com"), "reject");

    assertThat(response.path("statusCode").asInt()).isEqualTo(200);
    assertThat(adapters.world().callbacks().failures()).singleElement()
        .satisfies(f -> assertThat(f.error()).isEqualTo(ResolveApproval.REJECTED_ERROR));
  }

  @Test
  void forgedOrOtherApproversLink_isRefusedWith403AndChangesNothing() {
    String sre = link("sre-oncall@example.com");

    assertThat(post(sre.replaceFirst("sig=[^&]+", "sig=forged"), "approve").path("statusCode").asInt())
        .isEqualTo(403);
    assertThat(post(sre.replace("sre-oncall%40", "platform-leads%40"), "approve").path("statusCode").asInt())
        .isEqualTo(403);
    assertThat(invoke(event("GET", sre.replace("sre-oncall%40", "mallory%40"), null)).path("statusCode").asInt())
        .isEqualTo(403);
    assertThat(adapters.world().approvals().find(approval.id()).orElseThrow().votes()).isEmpty();
    assertThat(adapters.world().callbacks().successes()).isEmpty();
  }

  @Test
  void expiredLink_isRefusedWith410() {
    adapters.clock().advance(Duration.ofHours(2));

    assertThat(invoke(event("GET", link("sre-oncall@example.com"), null)).path("statusCode").asInt()).isEqualTo(410);
    assertThat(post(link("sre-oncall@example.com"), "approve").path("statusCode").asInt()).isEqualTo(410);
    assertThat(adapters.world().callbacks().successes()).isEmpty();
  }
}
