package dev.reflex.lambda.review;

import dev.reflex.domain.model.AuditEntry;

import static dev.reflex.lambda.support.MockLambda.invoke;
import static dev.reflex.lambda.support.MockLambda.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.Signature;
import dev.reflex.lambda.support.InMemoryAdapters;
import dev.reflex.lambda.support.InMemoryReview;
import dev.reflex.lambda.support.MockLambda;
import dev.reflex.testkit.Playbooks;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The "sync" Lambda: on its schedule, and behind API Gateway for the hosting service's webhook. */
@QuarkusTest
@TestProfile(SyncFunctionIT.Sync.class)
class SyncFunctionIT {

  /** The sync function's own Lambda. */
  public static final class Sync implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.funqy.export", "sync");
    }
  }

  static final Signature SIGNATURE = new Signature("high_latency", "payment-api", "india");
  static final String ID = "learned-high-latency--payment-api--india";
  static final String PUSH_TO_MAIN = "{\"ref\":\"refs/heads/main\",\"after\":\"" + "c".repeat(40) + "\"}";

  @Inject InMemoryAdapters adapters;
  @Inject InMemoryReview review;

  @BeforeEach
  void reset() {
    adapters.reset();
    review.reset();
    Playbook draft = Playbooks.builder(ID).source(PlaybookSource.LEARNED).status(PlaybookStatus.PENDING_REVIEW)
        .signature(SIGNATURE).version("1.0.0").build();
    adapters.world().playbooks().create(draft.withCommit("learned/high-latency--payment-api--india", "b".repeat(40)));
    review.target().merge(draft);
  }

  @Test
  void sync_onItsSchedule_activatesTheMergedDraftAtItsVersion() {
    JsonNode out = invoke(Map.of("source", "aws.events", "detail-type", "Scheduled Event"));

    assertThat(out.path("synced").asBoolean()).isTrue();
    assertThat(out.path("changes").toString()).contains(ID + "@1.0.0: active");
    Playbook active = adapters.world().playbooks().find(ID).orElseThrow();
    assertThat(active.status()).isEqualTo(PlaybookStatus.ACTIVE);
    assertThat(active.branch()).isEqualTo("main");
    assertThat(active.commitSha()).isEqualTo(out.path("commitSha").asText());
  }

  @Test
  void sync_thatChangesPlaybooks_isAuditedAsAConfigurationChangeByReflex_andANoOpSyncIsNot() {
    JsonNode out = invoke(Map.of("source", "aws.events", "detail-type", "Scheduled Event"));
    invoke(Map.of("source", "aws.events", "detail-type", "Scheduled Event"));

    assertThat(adapters.world().audit().byIncident(AuditEntry.SYSTEM)).singleElement().satisfies(entry -> {
      assertThat(entry.actor()).isEqualTo(AuditEntry.REFLEX);
      assertThat(entry.action()).isEqualTo("config.synced");
      assertThat(entry.detail()).startsWith("schedule: commit " + out.path("commitSha").asText())
          .contains(ID + "@1.0.0: active");
    });
  }

  @Test
  void webhook_whenGithubSignsAPushToMain_syncsAndAnswers200() {
    JsonNode response = invoke(apiGateway(PUSH_TO_MAIN, Map.of("x-github-event", "push",
        "x-hub-signature-256", ReviewWebhookTest.sign(InMemoryReview.WEBHOOK_SECRET,
            PUSH_TO_MAIN.getBytes(StandardCharsets.UTF_8)))));

    assertThat(response.path("statusCode").asInt()).isEqualTo(200);
    JsonNode body = parse(response.path("body").asText());
    assertThat(body.path("synced").asBoolean()).isTrue();
    assertThat(body.path("reason").asText()).isEqualTo("push to main");
    assertThat(adapters.world().playbooks().find(ID).orElseThrow().status()).isEqualTo(PlaybookStatus.ACTIVE);
  }

  @Test
  void webhook_whenTheSignatureIsForged_answers401AndSyncsNothing() {
    JsonNode response = invoke(apiGateway(PUSH_TO_MAIN, Map.of("x-github-event", "push",
        "x-hub-signature-256", ReviewWebhookTest.sign("a-guessed-secret", PUSH_TO_MAIN.getBytes(StandardCharsets.UTF_8)))));

    assertThat(response.path("statusCode").asInt()).isEqualTo(401);
    assertThat(response.path("body").asText()).doesNotContain(InMemoryReview.WEBHOOK_SECRET);
    assertThat(review.target().reads()).isZero();
    assertThat(adapters.world().playbooks().find(ID).orElseThrow().status()).isEqualTo(PlaybookStatus.PENDING_REVIEW);
  }

  @Test
  void webhook_whenUnsigned_answers401AndSyncsNothing() {
    JsonNode response = invoke(apiGateway(PUSH_TO_MAIN, Map.of("x-github-event", "push")));

    assertThat(response.path("statusCode").asInt()).isEqualTo(401);
    assertThat(review.target().reads()).isZero();
  }

  @Test
  void webhook_whenAuthenticButAboutAReviewBranchPush_answers200WithoutSyncing() {
    String push = "{\"ref\":\"refs/heads/learned/other\",\"after\":\"" + "d".repeat(40) + "\"}";

    JsonNode response = invoke(apiGateway(push, Map.of("x-github-event", "push",
        "x-hub-signature-256", ReviewWebhookTest.sign(InMemoryReview.WEBHOOK_SECRET,
            push.getBytes(StandardCharsets.UTF_8)))));

    assertThat(response.path("statusCode").asInt()).isEqualTo(200);
    assertThat(parse(response.path("body").asText()).path("synced").asBoolean()).isFalse();
    assertThat(review.target().reads()).isZero();
  }

  private static ObjectNode apiGateway(String body, Map<String, String> headers) {
    ObjectNode event = MockLambda.json().createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", "POST /webhooks/review");
    event.set("headers", MockLambda.json().valueToTree(headers));
    event.putObject("requestContext").putObject("http").put("method", "POST").put("path", "/webhooks/review");
    event.put("body", body);
    event.put("isBase64Encoded", false);
    return event;
  }
}
