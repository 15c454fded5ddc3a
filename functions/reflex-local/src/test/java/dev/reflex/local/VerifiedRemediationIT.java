package dev.reflex.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.domain.model.Playbook;
import dev.reflex.local.app.EmbeddedReflex;
import dev.reflex.stepfunctions.ExecutionDescription;
import dev.reflex.stepfunctions.ExecutionStatus;
import dev.reflex.stepfunctions.ManualTimerService;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verified remediation through the real ASL on the embedded default, on a test clock: after the
 * commands succeed the workflow waits, a bounded number of checks, for Alertmanager's "resolved"
 * notification; an alert that keeps firing makes the outcome a failure for learning.
 */
class VerifiedRemediationIT {

  static final Path HOME = Path.of("../..").toAbsolutePath().normalize();
  static final Duration CHECK = Duration.ofSeconds(60);
  static final int CHECKS = 3;
  static final Duration QUIET = Duration.ofSeconds(30);

  @TempDir Path dataDir;

  private final ManualTimerService timers = new ManualTimerService(java.time.Instant.parse("2026-11-01T09:20:00Z"));

  private EmbeddedReflex start() {
    return EmbeddedReflex.start(EmbeddedReflex.Options.defaults(HOME, dataDir, "http://127.0.0.1:1")
        .withInMemoryTables(true).withConsole(new PrintStream(PrintStream.nullOutputStream()))
        .withResolutionChecks(CHECK, CHECKS).withTimers(timers));
  }

  /** Day 1 ingested, approved and executed (dry-run): the workflow now waits for the alert to resolve. */
  private static String executedAndWaiting(EmbeddedReflex reflex) throws Exception {
    byte[] body = Files.readAllBytes(HOME.resolve("samples/alertmanager/seed-day1-payment-api-latency.json"));
    String id = reflex.ingest(body).response().path("incidents").get(0).path("id").asText();
    reflex.awaitWorkflow(id, QUIET);
    reflex.decideAsOperator(id, true, "ana@example.com", "plan reviewed");
    ExecutionDescription waiting = reflex.awaitWorkflow(id, QUIET);
    assertThat(waiting.status()).isEqualTo(ExecutionStatus.RUNNING);
    JsonNode incident = reflex.incident(id);
    assertThat(incident.path("status").asText()).isEqualTo("EXECUTING");
    assertThat(incident.path("execution").path("success").asBoolean()).isTrue();
    assertThat(states(incident, "WaitStateEntered")).containsExactly("Wait for alert resolution");
    return id;
  }

  /** Moves the test clock one check at a time until the workflow ends. */
  private ExecutionDescription runToTheEnd(EmbeddedReflex reflex, String id) {
    for (int i = 0; i < CHECKS + 3; i++) {
      timers.advance(CHECK);
      ExecutionDescription description = reflex.awaitWorkflow(id, QUIET);
      if (description.status().isFinished()) {
        return description;
      }
    }
    throw new AssertionError("the workflow of " + id + " did not end within " + (CHECKS + 3) + " checks");
  }

  private static List<String> states(JsonNode incident, String eventType) {
    List<String> names = new ArrayList<>();
    for (JsonNode event : incident.path("workflow").path("history")) {
      if (event.path("type").asText().equals(eventType)) {
        names.add(event.path("state").asText());
      }
    }
    return names;
  }

  private static Playbook learned(EmbeddedReflex reflex, JsonNode incident) {
    return reflex.playbookStore().find(incident.path("playbookId").asText()).orElseThrow();
  }

  @Test
  void remediation_whenTheAlertNeverResolves_isLearnedAsAFailureAfterTheLastCheck() throws Exception {
    try (EmbeddedReflex reflex = start()) {
      String id = executedAndWaiting(reflex);

      ExecutionDescription ended = runToTheEnd(reflex, id);

      JsonNode incident = reflex.incident(id);
      assertThat(ended.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(incident.path("status").asText()).isEqualTo("FAILED");
      assertThat(states(incident, "TaskStateEntered")).filteredOn("Check alert resolution"::equals).hasSize(CHECKS);
      assertThat(incident.path("timeline").toString()).contains("verification failed")
          .contains("had not resolved when Reflex stopped waiting");
      Playbook playbook = learned(reflex, incident);
      assertThat(playbook.stats().failureCount()).isEqualTo(1);
      assertThat(playbook.stats().successCount()).isZero();
      assertThat(playbook.stats().confidence()).isEqualTo(0.65);
    }
  }

  @Test
  void remediation_whenAlertmanagerSendsResolvedDuringTheWait_isLearnedAsASuccess() throws Exception {
    try (EmbeddedReflex reflex = start()) {
      String id = executedAndWaiting(reflex);
      reflex.ingest(Files.readAllBytes(HOME.resolve("samples/alertmanager/seed-day1-resolved.json")));

      ExecutionDescription ended = runToTheEnd(reflex, id);

      JsonNode incident = reflex.incident(id);
      assertThat(ended.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
      assertThat(incident.path("status").asText()).isEqualTo("RESOLVED");
      assertThat(incident.path("alertResolvedAt").asText()).isEqualTo("2026-11-01T09:41:30Z");
      assertThat(states(incident, "TaskStateEntered")).filteredOn("Check alert resolution"::equals).hasSize(2);
      Playbook playbook = learned(reflex, incident);
      assertThat(playbook.stats().successCount()).isEqualTo(1);
      assertThat(playbook.stats().confidence()).isEqualTo(0.80);
    }
  }
}
