package dev.reflex.adapters.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The embedded runtime's approval notice: one JSON line per request in
 * {@code <dataDir>/outbox/approvals.jsonl} (what an e-mail would carry) and a one-line notice
 * on the console.
 */
public final class ConsoleApprovalNotifier implements ApprovalNotifier {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path outbox;
  private final PrintStream console;

  public ConsoleApprovalNotifier(Path dataDir, PrintStream console) {
    this.outbox = Objects.requireNonNull(dataDir, "dataDir").resolve("outbox").resolve("approvals.jsonl");
    this.console = Objects.requireNonNull(console, "console");
  }

  public Path outboxFile() {
    return outbox;
  }

  @Override
  public synchronized void approvalRequested(String approvalId, String incidentId, String summary, String approveUrl) {
    Map<String, String> line = new LinkedHashMap<>();
    line.put("approvalId", approvalId);
    line.put("incidentId", incidentId);
    line.put("summary", summary);
    line.put("url", approveUrl);
    try {
      Files.createDirectories(outbox.getParent());
      Files.writeString(outbox, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the approval outbox " + outbox, e);
    }
    console.println("[reflex] approval needed for incident " + oneLine(incidentId) + ": " + oneLine(summary)
        + " -> " + oneLine(approveUrl));
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
