package dev.reflex.adapters.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.port.OnCallNotifier;
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
 * The embedded runtime's on-call notice: one JSON line per remediation that needs a person in
 * {@code <dataDir>/outbox/on-call.jsonl} (what a page or an e-mail would carry, secrets redacted)
 * and a one-line notice on the console.
 */
public final class OutboxOnCallNotifier implements OnCallNotifier {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path outbox;
  private final PrintStream console;

  public OutboxOnCallNotifier(Path dataDir, PrintStream console) {
    this.outbox = Objects.requireNonNull(dataDir, "dataDir").resolve("outbox").resolve("on-call.jsonl");
    this.console = Objects.requireNonNull(console, "console");
  }

  public Path outboxFile() {
    return outbox;
  }

  @Override
  public synchronized void remediationNeedsAttention(String incidentId, IncidentStatus status, String summary) {
    Map<String, String> line = new LinkedHashMap<>();
    line.put("incidentId", incidentId);
    line.put("status", status.name());
    line.put("summary", Redactor.redactAndTruncate(summary, 2000));
    try {
      Files.createDirectories(outbox.getParent());
      Files.writeString(outbox, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the on-call outbox " + outbox, e);
    }
    console.println("[reflex] on-call: incident " + oneLine(incidentId) + " is " + status.name() + ": "
        + oneLine(line.get("summary")));
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
