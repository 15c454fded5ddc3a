package dev.reflex.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.domain.error.IncidentNotFoundException;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.local.app.EmbeddedReflex;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feedback given through the embedded runtime is stored, bound to the incident's pattern, noted on
 * its timeline, and weighs in the reliability score of the next decision for that pattern. A
 * disabled playbook is re-enabled by a person.
 */
class EmbeddedFeedbackIT {

  static final Path HOME = Path.of("../..").toAbsolutePath().normalize();
  @TempDir Path dataDir;

  @Test
  void feedback_isStoredAndCountsInTheNextDecisionsScore() throws Exception {
    try (EmbeddedReflex reflex = EmbeddedReflex.start(EmbeddedReflex.Options.defaults(HOME, dataDir,
        "http://127.0.0.1:1").withInMemoryTables(true).withConsole(new PrintStream(PrintStream.nullOutputStream())))) {
      String day1 = handle(reflex, "seed-day1-payment-api-latency.json");
      assertThat(String.valueOf(reflex.incident(day1).path("decision").path("reasoning")))
          .contains("feedback 0.00/30");

      JsonNode recorded = reflex.feedback(day1, reflex.json().readTree("""
          {"type":"remediation","rating":5,"helpful":true,"comment":"restart fixed it","author":"ana"}"""));

      assertThat(recorded.path("playbookId").asText()).startsWith("learned-high-latency");
      assertThat(recorded.path("value").asDouble()).isEqualTo(1.0);
      assertThat(reflex.incident(day1).path("timeline").toString())
          .contains("remediation feedback from ana: rating 5/5");
      assertThat(reflex.audit(day1)).anySatisfy(e -> {
        assertThat(e.path("action").asText()).isEqualTo("feedback.recorded");
        assertThat(e.path("actor").asText()).isEqualTo("ana");
      });

      String day8 = handle(reflex, "seed-day8-payment-api-latency.json");
      assertThat(String.valueOf(reflex.incident(day8).path("decision").path("reasoning")))
          .contains("feedback 30.00/30");
    }
  }

  @Test
  void feedback_whenInvalidOrUnknown_isRefusedNamingTheField() throws Exception {
    try (EmbeddedReflex reflex = EmbeddedReflex.start(EmbeddedReflex.Options.defaults(HOME, dataDir,
        "http://127.0.0.1:1").withInMemoryTables(true).withConsole(new PrintStream(PrintStream.nullOutputStream())))) {
      assertThatThrownBy(() -> reflex.feedback("inc-none", reflex.json().readTree("{\"rating\":3}")))
          .isInstanceOf(IncidentNotFoundException.class);
      assertThatThrownBy(() -> reflex.feedback("inc-none", reflex.json().readTree("{\"rating\":7}")))
          .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("rating"));
    }
  }

  @Test
  void enablePlaybook_whenDisabled_makesACatalogPlaybookActiveAgain() throws Exception {
    try (EmbeddedReflex reflex = EmbeddedReflex.start(EmbeddedReflex.Options.defaults(HOME, dataDir,
        "http://127.0.0.1:1").withInMemoryTables(true).withConsole(new PrintStream(PrintStream.nullOutputStream())))) {
      dev.reflex.domain.model.Playbook catalog = reflex.playbookStore().list().stream()
          .filter(p -> p.source() == dev.reflex.domain.model.PlaybookSource.CATALOG).findFirst().orElseThrow();
      assertThatThrownBy(() -> reflex.enablePlaybook(catalog.id(), "ana", "not disabled yet"))
          .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("status"));
      reflex.playbookStore().update(catalog.withStatus(dev.reflex.domain.model.PlaybookStatus.DISABLED));

      JsonNode enabled = reflex.enablePlaybook(catalog.id(), "ana", "fixed the unit file");

      assertThat(enabled.path("status").asText()).isEqualTo("ACTIVE");
      assertThat(enabled.path("reenabledBy").asText()).isEqualTo("ana");
      assertThat(reflex.audit(dev.reflex.domain.model.AuditEntry.SYSTEM)).anySatisfy(e -> {
        assertThat(e.path("action").asText()).isEqualTo("playbook.reenabled");
        assertThat(e.path("actor").asText()).isEqualTo("ana");
        assertThat(e.path("detail").asText()).contains(catalog.id()).contains("fixed the unit file");
      });
      assertThat(reflex.playbookStore().find(catalog.id())).get()
          .satisfies(p -> assertThat(p.status()).isEqualTo(dev.reflex.domain.model.PlaybookStatus.ACTIVE));
    }
  }

  private static String handle(EmbeddedReflex reflex, String sample) throws Exception {
    byte[] body = Files.readAllBytes(HOME.resolve("samples/alertmanager").resolve(sample));
    String id = reflex.ingest(body).response().path("incidents").get(0).path("id").asText();
    reflex.awaitWorkflow(id, Duration.ofSeconds(60));
    if (reflex.incident(id).has("approval")
        && reflex.incident(id).path("approval").path("status").asText().equals("PENDING")) {
      reflex.decideAsOperator(id, true, "ana", "looks right");
      reflex.awaitWorkflow(id, Duration.ofSeconds(60));
    }
    return id;
  }
}
