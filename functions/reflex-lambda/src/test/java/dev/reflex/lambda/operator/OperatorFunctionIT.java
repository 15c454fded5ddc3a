package dev.reflex.lambda.operator;

import static dev.reflex.lambda.support.MockLambda.invoke;
import static dev.reflex.lambda.support.MockLambda.parse;
import static dev.reflex.lambda.support.MockLambda.sample;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.domain.model.AuditEntry;
import dev.reflex.domain.model.Feedback;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.service.RecordFeedback;
import dev.reflex.lambda.config.ReflexServices;
import dev.reflex.lambda.intake.AlertIntake;
import dev.reflex.lambda.support.FunctionProfiles;
import dev.reflex.lambda.support.InMemoryAdapters;
import dev.reflex.lambda.support.MockLambda;
import dev.reflex.testkit.Playbooks;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** "operator" behind the IAM-authorized API Gateway HTTP API routes, as its Lambda runs it. */
@QuarkusTest
@TestProfile(FunctionProfiles.Operator.class)
class OperatorFunctionIT {

  private static final String CALLER = "arn:aws:iam::111122223333:user/sre-alice";
  private static final String PLAYBOOK = "restart-payment-api";

  @Inject InMemoryAdapters adapters;
  @Inject AlertIntake intake;
  @Inject ReflexServices services;
  @Inject OperatorFunction function;

  private String incidentId;

  @BeforeEach
  void incident() {
    adapters.reset();
    incidentId = intake.accept(sample("alertmanager/seed-day1-payment-api-latency.json")).incidents().get(0).id();
    adapters.world().playbooks().create(Playbooks.builder(PLAYBOOK).source(PlaybookSource.CATALOG)
        .status(PlaybookStatus.ACTIVE).version("1.0.0").build());
  }

  /** An HTTP API (payload 2.0) event as API Gateway sends it; {@code caller} null: no IAM identity. */
  private static Map<String, Object> event(String method, String path, String body, String caller) {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("http", Map.of("method", method, "path", path, "sourceIp", "198.51.100.23"));
    if (caller != null) {
      context.put("authorizer", Map.of("iam", Map.of("accessKey", "AKIAEXAMPLE", "accountId", "111122223333",
          "callerId", "AIDAEXAMPLE", "userArn", caller, "userId", "AIDAEXAMPLE")));
    }
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("version", "2.0");
    event.put("rawPath", path);
    event.put("rawQueryString", "");
    event.put("headers", Map.of("content-type", "application/json"));
    event.put("requestContext", context);
    if (body != null) {
      event.put("body", Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
      event.put("isBase64Encoded", true);
    }
    return event;
  }

  private static JsonNode call(String method, String path, String body) {
    return invoke(event(method, path, body, CALLER));
  }

  private static JsonNode bodyOf(JsonNode response) {
    return parse(response.path("body").asText());
  }

  private List<Feedback> feedback() {
    return services.governance().feedback().forIncident(incidentId);
  }

  private boolean disabled(Signature signature) {
    return services.governance().history().patternTotals(signature, PLAYBOOK).disabled();
  }

  private Signature disabledSignature(String service) {
    Signature signature = new Signature("high_latency", service, "india");
    services.governance().history().disablePattern(signature, PLAYBOOK, InMemoryAdapters.NOW);
    assertThat(disabled(signature)).isTrue();
    return signature;
  }

  @Test
  void feedback_isRecordedWithTheIamCallerAsAuthorAndAudited() {
    int before = feedback().size();

    JsonNode response = call("POST", "/api/v1/incidents/" + incidentId + "/feedback",
        "{\"rating\": 4, \"helpful\": true, \"comment\": \"restart fixed it\"}");

    assertThat(response.path("statusCode").asInt()).isEqualTo(201);
    assertThat(bodyOf(response).path("author").asText()).isEqualTo(CALLER);
    assertThat(feedback()).hasSize(before + 1);
    Feedback recorded = feedback().get(feedback().size() - 1);
    assertThat(recorded.author()).isEqualTo(CALLER);
    assertThat(recorded.rating()).isEqualTo(4);
    assertThat(adapters.world().incidents().find(incidentId).orElseThrow().hasTimelineStage(RecordFeedback.STAGE)).isTrue();
    assertThat(adapters.world().audit().byIncident(incidentId))
        .anySatisfy(entry -> {
          assertThat(entry.action()).isEqualTo("feedback.recorded");
          assertThat(entry.actor()).isEqualTo(CALLER);
        });
  }

  @Test
  void feedback_namingAnAuthorInTheBody_isRefusedNamingAuthor() {
    int before = feedback().size();

    JsonNode response = call("POST", "/api/v1/incidents/" + incidentId + "/feedback",
        "{\"rating\": 4, \"author\": \"someone-else\"}");

    assertThat(response.path("statusCode").asInt()).isEqualTo(400);
    assertThat(bodyOf(response).path("field").asText()).isEqualTo("author");
    assertThat(feedback()).hasSize(before);
  }

  @Test
  void feedback_malformedBody_is400NamingTheField() {
    JsonNode malformed = call("POST", "/api/v1/incidents/" + incidentId + "/feedback", "{\"rating\": 4,");
    JsonNode wrongType = call("POST", "/api/v1/incidents/" + incidentId + "/feedback", "{\"rating\": \"four\"}");

    assertThat(malformed.path("statusCode").asInt()).isEqualTo(400);
    assertThat(bodyOf(malformed).path("field").asText()).isEqualTo("body");
    assertThat(wrongType.path("statusCode").asInt()).isEqualTo(400);
    assertThat(bodyOf(wrongType).path("field").asText()).isEqualTo("rating");
    assertThat(bodyOf(wrongType).path("error").asText()).doesNotContain("four");
  }

  @Test
  void feedback_onAnUnknownIncident_is404() {
    JsonNode response = call("POST", "/api/v1/incidents/inc-that-never-was/feedback", "{\"rating\": 3}");

    assertThat(response.path("statusCode").asInt()).isEqualTo(404);
    assertThat(bodyOf(response).path("field").asText()).isEqualTo("id");
  }

  @Test
  void feedback_largerThanTheBodyLimit_is413() {
    String big = "{\"rating\": 3, \"comment\": \"" + "x".repeat(OperatorFunction.MAX_BODY_BYTES) + "\"}";

    // handed to the function directly: the test's mock event server is not API Gateway's 10 MB front door
    JsonNode response = function.operator(MockLambda.json().valueToTree(
        event("POST", "/api/v1/incidents/" + incidentId + "/feedback", big, CALLER)));

    assertThat(response.path("statusCode").asInt()).isEqualTo(413);
  }

  @Test
  void enable_forADisabledSignature_reenablesItAndAuditsTheCallerUnderSystem() {
    Signature signature = disabledSignature("payment-api");

    JsonNode response = call("POST", "/api/v1/playbooks/" + PLAYBOOK + "/enable",
        "{\"reason\": \"root cause fixed in 2.4.1\", \"signature\": \"" + signature + "\"}");

    assertThat(response.path("statusCode").asInt()).isEqualTo(200);
    assertThat(bodyOf(response).path("reenabledBy").asText()).isEqualTo(CALLER);
    assertThat(bodyOf(response).path("signature").asText()).isEqualTo(signature.toString());
    assertThat(disabled(signature)).isFalse();
    List<AuditEntry> system = adapters.world().audit().byIncident(AuditEntry.SYSTEM);
    assertThat(system).singleElement().satisfies(entry -> {
      assertThat(entry.action()).isEqualTo("playbook.reenabled");
      assertThat(entry.actor()).isEqualTo(CALLER);
      assertThat(entry.detail()).contains(signature.toString()).contains("root cause fixed in 2.4.1");
    });
  }

  @Test
  void enable_withoutAnIamIdentity_is401AndChangesNothing() {
    Signature signature = disabledSignature("checkout");

    JsonNode response = invoke(event("POST", "/api/v1/playbooks/" + PLAYBOOK + "/enable",
        "{\"reason\": \"fixed\", \"signature\": \"" + signature + "\"}", null));

    assertThat(response.path("statusCode").asInt()).isEqualTo(401);
    assertThat(disabled(signature)).isTrue();
    assertThat(adapters.world().audit().byIncident(AuditEntry.SYSTEM)).isEmpty();
  }

  @Test
  void enable_whenNotDisabled_is400NamingStatus() {
    JsonNode response = call("POST", "/api/v1/playbooks/" + PLAYBOOK + "/enable",
        "{\"reason\": \"just in case\", \"signature\": \"high_latency|inventory|india\"}");

    assertThat(response.path("statusCode").asInt()).isEqualTo(400);
    assertThat(bodyOf(response).path("field").asText()).isEqualTo("status");
    assertThat(adapters.world().audit().byIncident(AuditEntry.SYSTEM)).isEmpty();
  }

  @Test
  void enable_malformedBody_is400NamingTheField() {
    JsonNode noReason = call("POST", "/api/v1/playbooks/" + PLAYBOOK + "/enable", "{}");
    JsonNode actorGiven = call("POST", "/api/v1/playbooks/" + PLAYBOOK + "/enable",
        "{\"reason\": \"fixed\", \"actor\": \"someone-else\"}");
    JsonNode badSignature = call("POST", "/api/v1/playbooks/" + PLAYBOOK + "/enable",
        "{\"reason\": \"fixed\", \"signature\": 42}");

    assertThat(bodyOf(noReason).path("field").asText()).isEqualTo("reason");
    assertThat(bodyOf(actorGiven).path("field").asText()).isEqualTo("actor");
    assertThat(bodyOf(badSignature).path("field").asText()).isEqualTo("signature");
    assertThat(List.of(noReason, actorGiven, badSignature))
        .allSatisfy(response -> assertThat(response.path("statusCode").asInt()).isEqualTo(400));
  }

  @Test
  void enable_anUnknownPlaybook_is404() {
    JsonNode response = call("POST", "/api/v1/playbooks/no-such-playbook/enable", "{\"reason\": \"fixed\"}");

    assertThat(response.path("statusCode").asInt()).isEqualTo(404);
    assertThat(bodyOf(response).path("field").asText()).isEqualTo("id");
  }

  @Test
  void audit_ofAnIncident_listsItsEntriesOldestFirst() {
    call("POST", "/api/v1/incidents/" + incidentId + "/feedback", "{\"rating\": 2}");
    call("POST", "/api/v1/incidents/" + incidentId + "/feedback", "{\"rating\": 5}");

    JsonNode response = call("GET", "/api/v1/incidents/" + incidentId + "/audit", null);

    assertThat(response.path("statusCode").asInt()).isEqualTo(200);
    JsonNode entries = bodyOf(response);
    assertThat(entries).hasSize(2);
    assertThat(entries.get(0).path("detail").asText()).contains("rating 2/5");
    assertThat(entries.get(1).path("detail").asText()).contains("rating 5/5");
    assertThat(entries.get(0).path("actor").asText()).isEqualTo(CALLER);
  }

  @Test
  void audit_ofSystem_listsConfigurationChanges() {
    Signature signature = disabledSignature("ledger");
    call("POST", "/api/v1/playbooks/" + PLAYBOOK + "/enable",
        "{\"reason\": \"fixed\", \"signature\": \"" + signature + "\"}");

    JsonNode entries = bodyOf(call("GET", "/api/v1/incidents/system/audit", null));

    assertThat(entries).singleElement().satisfies(entry -> {
      assertThat(entry.path("action").asText()).isEqualTo("playbook.reenabled");
      assertThat(entry.path("incidentId").asText()).isEqualTo(AuditEntry.SYSTEM);
    });
  }

  @Test
  void audit_ofAnUnknownIncident_is404() {
    JsonNode response = call("GET", "/api/v1/incidents/inc-that-never-was/audit", null);

    assertThat(response.path("statusCode").asInt()).isEqualTo(404);
  }

  @Test
  void aRouteWithTheWrongMethod_is405WithAllow() {
    JsonNode response = call("GET", "/api/v1/playbooks/" + PLAYBOOK + "/enable", null);

    assertThat(response.path("statusCode").asInt()).isEqualTo(405);
    assertThat(response.path("headers").path("Allow").asText()).isEqualTo("POST");
  }
}
