package dev.reflex.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.domain.error.IncidentNotFoundException;
import dev.reflex.local.app.EmbeddedReflex;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded runtime audits an incident's decision (with its reasons), approval and execution:
 * who approved, what was sent, what came back.
 */
class EmbeddedAuditIT {

  static final Path HOME = Path.of("../..").toAbsolutePath().normalize();
  @TempDir Path dataDir;

  @Test
  void audit_afterApprovalAndExecution_recordsWhoApprovedAndWhatRan() throws Exception {
    try (EmbeddedReflex reflex = EmbeddedReflex.start(EmbeddedReflex.Options.defaults(HOME, dataDir,
        "http://127.0.0.1:1").withInMemoryTables(true).withConsole(new PrintStream(PrintStream.nullOutputStream())))) {
      byte[] body = Files.readAllBytes(HOME.resolve("samples/alertmanager/seed-day1-payment-api-latency.json"));
      String id = reflex.ingest(body).response().path("incidents").get(0).path("id").asText();
      reflex.awaitWorkflow(id, Duration.ofSeconds(60));
      reflex.decideAsOperator(id, true, "ana@example.com", "looks right");
      reflex.awaitWorkflow(id, Duration.ofSeconds(60));

      List<JsonNode> trail = reflex.audit(id);

      assertThat(trail).extracting(e -> e.path("action").asText())
          .containsSubsequence("decision.needs_approval", "approval.approved", "execution.sent", "execution.succeeded");
      assertThat(trail.get(0).path("detail").asText()).startsWith("needs approval, risk ").contains("/30");
      assertThat(trail).filteredOn(e -> e.path("action").asText().equals("approval.approved")).singleElement()
          .satisfies(e -> {
            assertThat(e.path("actor").asText()).isEqualTo("ana@example.com");
            assertThat(e.path("detail").asText()).contains("looks right");
          });
      assertThat(trail).filteredOn(e -> e.path("action").asText().equals("execution.sent")).first()
          .satisfies(e -> assertThat(e.path("detail").asText()).contains("dry-run").contains(
              reflex.incident(id).path("playbookId").asText()));
      assertThatThrownBy(() -> reflex.audit("inc-none")).isInstanceOf(IncidentNotFoundException.class);
    }
  }
}
