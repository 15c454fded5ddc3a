package dev.reflex.adapters.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleApprovalNotifierTest {

  @TempDir Path dataDir;

  @Test
  void approvalRequested_appendsJsonLineAndPrintsOneLineNotice() throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    ConsoleApprovalNotifier notifier = new ConsoleApprovalNotifier(dataDir, new PrintStream(console, true));

    notifier.approvalRequested("ap-1", "inc-1", "Restart payment-api\n\u001b[31min india", "http://localhost/a/ap-1?s=x");
    notifier.approvalRequested("ap-2", "inc-2", "Second", "http://localhost/a/ap-2?s=y");

    List<String> lines = Files.readAllLines(dataDir.resolve("outbox/approvals.jsonl"));
    assertThat(lines).hasSize(2);
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertThat(first.get("approvalId").asText()).isEqualTo("ap-1");
    assertThat(first.get("incidentId").asText()).isEqualTo("inc-1");
    assertThat(first.get("summary").asText()).isEqualTo("Restart payment-api\n\u001b[31min india");
    assertThat(first.get("url").asText()).isEqualTo("http://localhost/a/ap-1?s=x");
    assertThat(console.toString().lines()).hasSize(2);
    assertThat(console.toString()).doesNotContain("\u001b").contains("incident inc-1").contains("http://localhost/a/ap-1?s=x");
  }
}
