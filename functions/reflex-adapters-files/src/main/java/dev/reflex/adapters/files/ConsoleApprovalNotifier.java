package dev.reflex.adapters.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reflex.domain.model.ApprovalNotice;
import dev.reflex.domain.port.ApprovalNotifier;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The embedded runtime's approval notice, for a person on this machine: what an e-mail would carry,
 * per approver. Each approver's message is written to {@code <dataDir>/outbox/<approvalId>/<address>.txt}
 * (the evidence and their own link), one JSON line per approver is appended to
 * {@code <dataDir>/outbox/approvals.jsonl} ({@code approvalId, incidentId, approver, url, subject,
 * evidence}), and the console gets one line per link. Evidence is redacted before it is written.
 */
public final class ConsoleApprovalNotifier implements ApprovalNotifier {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path outboxDir;
  private final Path outbox;
  private final PrintStream console;

  public ConsoleApprovalNotifier(Path dataDir, PrintStream console) {
    this.outboxDir = Objects.requireNonNull(dataDir, "dataDir").resolve("outbox");
    this.outbox = outboxDir.resolve("approvals.jsonl");
    this.console = Objects.requireNonNull(console, "console");
  }

  public Path outboxFile() {
    return outbox;
  }

  /** Where the message to {@code approver} about {@code approvalId} is written. */
  public Path messageFile(String approvalId, String approver) {
    return outboxDir.resolve(fileName(approvalId)).resolve(fileName(approver) + ".txt");
  }

  @Override
  public synchronized void approvalRequested(ApprovalNotice notice) {
    String evidence = Redactor.redact(notice.evidence());
    String subject = Redactor.redact(notice.subject());
    StringBuilder lines = new StringBuilder();
    try {
      for (ApprovalNotice.PersonalLink link : notice.links()) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("approvalId", notice.approvalId());
        line.put("incidentId", notice.incidentId());
        line.put("approver", link.approver());
        line.put("url", link.url());
        line.put("required", notice.required());
        line.put("subject", subject);
        line.put("evidence", evidence);
        lines.append(JSON.writeValueAsString(line)).append('\n');
        Path message = messageFile(notice.approvalId(), link.approver());
        Files.createDirectories(message.getParent());
        Files.writeString(message, "To: " + link.approver() + "\nSubject: " + subject + "\n\n" + evidence
            + "\nReview the plan and decide (" + notice.required() + " of " + notice.links().size()
            + " approvers must approve; the page asks you to confirm):\n" + link.url()
            + "\n\nThis link is yours alone: it works once and expires at " + notice.expiresAt() + ".\n",
            StandardCharsets.UTF_8);
      }
      Files.createDirectories(outbox.getParent());
      Files.writeString(outbox, lines.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the approval outbox " + outboxDir, e);
    }
    for (ApprovalNotice.PersonalLink link : notice.links()) {
      console.println("[reflex] approval needed for incident " + oneLine(notice.incidentId()) + " ("
          + notice.required() + " of " + notice.links().size() + "): " + oneLine(link.approver()) + " -> "
          + oneLine(link.url()));
    }
  }

  /** A file name from an id or address: letters, digits, '.', '-', '_' and '@'; nothing else. */
  private static String fileName(String text) {
    String safe = text.replaceAll("[^A-Za-z0-9.@_-]", "_");
    return safe.startsWith(".") ? "_" + safe : safe;
  }

  /** Control characters (newlines, escape sequences) from alert text never reach the terminal. */
  private static String oneLine(String text) {
    if (text == null) {
      return "";
    }
    String flat = text.replaceAll("\\p{Cntrl}+", " ").strip();
    return flat.length() > 200 ? flat.substring(0, 199) + "…" : flat;
  }
}
