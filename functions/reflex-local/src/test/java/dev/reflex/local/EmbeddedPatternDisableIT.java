package dev.reflex.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.model.AuditEntry;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.OutcomeHistory;
import dev.reflex.domain.service.ConsultForPlaybook;
import dev.reflex.local.app.EmbeddedReflex;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A playbook disabled for a signature, on the embedded default (DynamoDB Local, the real ASL): the
 * decision reads the pattern's standing in its one BatchGetItem and refuses, saying how to
 * re-enable; a person re-enables it for that signature, audited with actor and reason.
 */
class EmbeddedPatternDisableIT {

  static final Path HOME = Path.of("../..").toAbsolutePath().normalize();
  static final Signature SEED = Signature.of("high_latency", "payment-api", "india");
  static final Instant DISABLED_AT = Instant.parse("2026-11-01T08:00:00Z");

  @TempDir Path dataDir;

  @Test
  void decide_patternDisabledForTheSignature_refusesUntilAPersonReenablesItForThatSignature() throws Exception {
    try (EmbeddedReflex reflex = EmbeddedReflex.start(EmbeddedReflex.Options.defaults(HOME, dataDir,
        "http://127.0.0.1:1").withInMemoryTables(true).withConsole(new PrintStream(PrintStream.nullOutputStream())))) {
      String playbookId = ConsultForPlaybook.learnedId(SEED);
      OutcomeHistory history = reflex.services().governance().history();
      assertThat(history.disablePattern(SEED, playbookId, DISABLED_AT)).isTrue();

      byte[] body = Files.readAllBytes(HOME.resolve("samples/alertmanager/seed-day1-payment-api-latency.json"));
      String id = reflex.ingest(body).response().path("incidents").get(0).path("id").asText();
      reflex.awaitWorkflow(id, Duration.ofSeconds(60));

      JsonNode incident = reflex.incident(id);
      assertThat(incident.path("playbookId").asText()).isEqualTo(playbookId);
      assertThat(incident.path("status").asText()).isEqualTo("REFUSED");
      assertThat(incident.path("decision").path("reasoning").toString()).contains("playbook " + playbookId
          + " for signature high_latency|payment-api|india is disabled since " + DISABLED_AT, "./reflex playbooks "
          + "enable " + playbookId + " --signature 'high_latency|payment-api|india' --reason TEXT", "refused");

      assertThatThrownBy(() -> reflex.enablePlaybook(playbookId, "High Latency|payment-api", "ana", "fixed"))
          .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("signature"));

      JsonNode enabled = reflex.enablePlaybook(playbookId, SEED.toString(), "ana", "raised the pool size");

      assertThat(enabled.path("signature").asText()).isEqualTo(SEED.toString());
      assertThat(enabled.path("reenabledBy").asText()).isEqualTo("ana");
      assertThat(history.patternTotals(SEED, playbookId).disabled()).isFalse();
      assertThat(reflex.audit(AuditEntry.SYSTEM)).anySatisfy(e -> {
        assertThat(e.path("action").asText()).isEqualTo("playbook.reenabled");
        assertThat(e.path("actor").asText()).isEqualTo("ana");
        assertThat(e.path("detail").asText()).contains(playbookId, "for signature high_latency|payment-api|india",
            "raised the pool size");
      });
      assertThatThrownBy(() -> reflex.enablePlaybook(playbookId, SEED.toString(), "ana", "again"))
          .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("status"));
    }
  }
}
