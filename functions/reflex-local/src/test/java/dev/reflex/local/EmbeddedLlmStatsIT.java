package dev.reflex.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.domain.risk.ForbiddenCommands;
import dev.reflex.local.app.EmbeddedReflex;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded runtime's default consultant is the offline catalog, metered: an incident nothing
 * matched is consulted once, with no model call and no cost, and the stats say so. The alert's
 * annotations try a prompt injection; the offline draft has no forbidden step.
 */
class EmbeddedLlmStatsIT {

  static final Path HOME = Path.of("../..").toAbsolutePath().normalize();
  @TempDir Path dataDir;

  @Test
  void llmStats_afterAnOfflineConsultation_countsItWithoutCallsOrCost() throws Exception {
    try (EmbeddedReflex reflex = EmbeddedReflex.start(EmbeddedReflex.Options.defaults(HOME, dataDir,
        "http://127.0.0.1:1").withInMemoryTables(true).withConsole(new PrintStream(PrintStream.nullOutputStream())))) {
      byte[] body = Files.readAllBytes(HOME.resolve("samples/alertmanager/prompt-injection-annotations.json"));
      JsonNode created = reflex.ingest(body).response().path("incidents").get(0);
      String id = created.path("id").asText();
      reflex.awaitWorkflow(id, Duration.ofSeconds(60));

      JsonNode stats = reflex.llmStats();

      assertThat(reflex.consultations()).isEqualTo(1);
      assertThat(stats.path("total").path("consultations").asLong()).isEqualTo(1);
      assertThat(stats.path("total").path("calls").asLong()).isZero();
      assertThat(stats.path("total").path("costUsd").asDouble()).isZero();
      assertThat(stats.path("perSignature").get(0).path("signature").asText())
          .isEqualTo(created.path("signature").asText());
      assertThat(stats.path("perDay")).hasSize(1);
      assertThat(stats.path("servedWithoutCall").path("consultedWithoutCall").asLong()).isEqualTo(1);
      assertThat(stats.path("servedWithoutCall").path("incidentsConsidered").asLong()).isEqualTo(1);
      // the injected summary is quoted in the diagnosis as data; no step acts on it
      JsonNode consultation = reflex.incident(id).path("consultations").get(0);
      assertThat(consultation.path("consultant").asText()).isEqualTo("offline_catalog");
      assertThat(consultation.path("calls").asInt()).as("the offline consultant is not a model call").isZero();
      assertThat(consultation.path("costUsd").asDouble()).isZero();
      String playbookId = reflex.incident(id).path("playbookId").asText();
      assertThat(reflex.playbookStore().find(playbookId)).get().satisfies(playbook ->
          assertThat(ForbiddenCommands.defaults().violations(playbook)).isEmpty());
    }
  }
}
