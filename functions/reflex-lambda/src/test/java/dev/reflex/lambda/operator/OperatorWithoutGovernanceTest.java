package dev.reflex.lambda.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reflex.adapters.files.DryRunExecutor;
import dev.reflex.adapters.files.FilePlaybookCatalog;
import dev.reflex.adapters.files.OfflineCatalogConsultant;
import dev.reflex.domain.model.AuditEntry;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.lambda.config.ReflexServices;
import dev.reflex.lambda.support.InMemoryAdapters;
import dev.reflex.lambda.support.RecordingWorkflowStarter;
import dev.reflex.testkit.FixedSecretsProvider;
import dev.reflex.testkit.InMemoryApprovalStore;
import dev.reflex.testkit.InMemoryAuditLog;
import dev.reflex.testkit.InMemoryIncidentStore;
import dev.reflex.testkit.InMemoryPlaybookStore;
import dev.reflex.testkit.MutableClock;
import dev.reflex.testkit.Playbooks;
import dev.reflex.testkit.RecordingApprovalNotifier;
import dev.reflex.testkit.RecordingPlaybookRepository;
import dev.reflex.testkit.RecordingWorkflowCallbacks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator function where the policy engine's tables are not configured (the minimal built-in
 * policy): no feedback store, and failures disable a playbook as a whole.
 */
class OperatorWithoutGovernanceTest {

  private static final String CALLER = "arn:aws:sts::111122223333:assumed-role/sre/alice";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MutableClock clock = new MutableClock(InMemoryAdapters.NOW);
  private final InMemoryPlaybookStore playbooks = new InMemoryPlaybookStore();
  private final InMemoryAuditLog audit = new InMemoryAuditLog();
  private final OperatorFunction function = new OperatorFunction(new ReflexServices(new ReflexServices.Ports(
      new InMemoryIncidentStore(), playbooks, new InMemoryApprovalStore(), new FilePlaybookCatalog(InMemoryAdapters.CATALOG),
      new RecordingPlaybookRepository(), new OfflineCatalogConsultant(), new DryRunExecutor(clock),
      new RecordingWorkflowCallbacks(), new RecordingWorkflowStarter(), new RecordingApprovalNotifier(),
      FixedSecretsProvider.of(ReflexServices.APPROVAL_KEY_SECRET, "test-approval-signing-key-of-32-bytes-or-more"),
      clock), ReflexServices.Settings.defaults("https://example.test")), audit, JSON);

  private JsonNode post(String path, String body) {
    return function.operator(JSON.valueToTree(Map.of(
        "rawPath", path,
        "requestContext", Map.of("http", Map.of("method", "POST"),
            "authorizer", Map.of("iam", Map.of("userArn", CALLER))),
        "body", body)));
  }

  private static JsonNode body(JsonNode response) throws IOException {
    return JSON.readTree(response.path("body").asText().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void feedback_withoutTheFeedbackStore_is501AndNothingIsAudited() throws IOException {
    JsonNode response = post("/api/v1/incidents/inc-1/feedback", "{\"rating\": 4}");

    assertThat(response.path("statusCode").asInt()).isEqualTo(501);
    assertThat(body(response).path("error").asText()).contains("REFLEX_FEEDBACK_TABLE");
    assertThat(audit.byIncident("inc-1")).isEmpty();
  }

  @Test
  void enable_aWholeDisabledCatalogPlaybook_makesItActiveWithItsFailureRunReset() throws IOException {
    playbooks.create(Playbooks.builder("restart-api").source(PlaybookSource.CATALOG).status(PlaybookStatus.DISABLED)
        .stats(new PlaybookStats(0.6, 4, 3, 3, InMemoryAdapters.NOW)).build());

    JsonNode response = post("/api/v1/playbooks/restart-api/enable", "{\"reason\": \"disk cleaned up\"}");

    assertThat(response.path("statusCode").asInt()).isEqualTo(200);
    assertThat(body(response).path("status").asText()).isEqualTo("ACTIVE");
    assertThat(playbooks.find("restart-api").orElseThrow().stats().consecutiveFailures()).isZero();
    assertThat(audit.byIncident(AuditEntry.SYSTEM)).singleElement()
        .satisfies(entry -> assertThat(entry.actor()).isEqualTo(CALLER));
  }

  @Test
  void enable_withASignature_withoutOutcomeHistory_is400NamingSignature() throws IOException {
    playbooks.create(Playbooks.builder("restart-api").status(PlaybookStatus.DISABLED).build());

    JsonNode response = post("/api/v1/playbooks/restart-api/enable",
        "{\"reason\": \"fixed\", \"signature\": \"high_latency|api|india\"}");

    assertThat(response.path("statusCode").asInt()).isEqualTo(400);
    assertThat(body(response).path("field").asText()).isEqualTo("signature");
    assertThat(playbooks.find("restart-api").orElseThrow().status()).isEqualTo(PlaybookStatus.DISABLED);
  }
}
