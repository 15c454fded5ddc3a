package dev.reflex.adapters.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reflex.domain.model.ApprovalNotice;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleApprovalNotifierTest {

  @TempDir Path dataDir;

  private static ApprovalNotice notice(String id, String evidence) {
    return new ApprovalNotice(id, "inc-1", "[Reflex] Approval needed: x", evidence,
        Instant.parse("2026-01-02T00:00:00Z"), 2, List.of(
            new ApprovalNotice.PersonalLink("alice@example.com", "http://localhost/approvals/" + id + "/alice%40example.com?sig=a"),
            new ApprovalNotice.PersonalLink("bob@example.com", "http://localhost/approvals/" + id + "/bob%40example.com?sig=b")));
  }

  @Test
  void approvalRequested_writesOneMessageAndJsonLinePerApproverAndOneConsoleLineEach() throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    ConsoleApprovalNotifier notifier = new ConsoleApprovalNotifier(dataDir, new PrintStream(console, true));

    notifier.approvalRequested(notice("apr-1", "Restart payment-api\n\u001b[31min india\ndb password=hunter2"));

    List<String> lines = Files.readAllLines(dataDir.resolve("outbox/approvals.jsonl"));
    assertThat(lines).hasSize(2);
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertThat(first.get("approvalId").asText()).isEqualTo("apr-1");
    assertThat(first.get("approver").asText()).isEqualTo("alice@example.com");
    assertThat(first.get("url").asText()).endsWith("/alice%40example.com?sig=a");
    assertThat(first.get("evidence").asText()).contains("Restart payment-api").doesNotContain("hunter2");
    String bobs = Files.readString(notifier.messageFile("apr-1", "bob@example.com"));
    assertThat(bobs).startsWith("To: bob@example.com\n").contains("/bob%40example.com?sig=b")
        .doesNotContain("sig=a", "hunter2").contains("2 of 2 approvers must approve");
    assertThat(console.toString().lines()).hasSize(2);
    assertThat(console.toString()).doesNotContain("\u001b").contains("incident inc-1 (2 of 2): alice@example.com -> ");
  }

  @Test
  void messageFile_staysInsideTheOutboxWhateverTheIds() {
    ConsoleApprovalNotifier notifier = new ConsoleApprovalNotifier(dataDir, new PrintStream(new ByteArrayOutputStream()));

    Path file = notifier.messageFile("../../etc", "../x@y.z");

    assertThat(file.normalize()).startsWithRaw(dataDir.resolve("outbox"));
  }
}
