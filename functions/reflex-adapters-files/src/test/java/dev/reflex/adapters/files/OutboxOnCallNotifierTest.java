package dev.reflex.adapters.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reflex.domain.model.IncidentStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxOnCallNotifierTest {

  @TempDir Path dataDir;

  @Test
  void notice_isAppendedAsOneJsonLineWithSecretsRedactedAndPrintedOnOneLine() throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    OutboxOnCallNotifier notifier = new OutboxOnCallNotifier(dataDir,
        new PrintStream(console, true, StandardCharsets.UTF_8));

    notifier.remediationNeedsAttention("inc-1", IncidentStatus.PARTIALLY_REMEDIATED,
        "step \"Restart\" failed: password=hunter2\n\u001b[31mred");
    notifier.remediationNeedsAttention("inc-2", IncidentStatus.FAILED, "nothing ran");

    List<String> lines = Files.readAllLines(dataDir.resolve("outbox/on-call.jsonl"));
    assertThat(lines).hasSize(2);
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertThat(first.path("incidentId").asText()).isEqualTo("inc-1");
    assertThat(first.path("status").asText()).isEqualTo("PARTIALLY_REMEDIATED");
    assertThat(first.path("summary").asText()).contains("step \"Restart\" failed").doesNotContain("hunter2");
    String printed = console.toString(StandardCharsets.UTF_8);
    assertThat(printed.lines()).hasSize(2);
    assertThat(printed).doesNotContain("hunter2").doesNotContain("\u001b");
  }
}
