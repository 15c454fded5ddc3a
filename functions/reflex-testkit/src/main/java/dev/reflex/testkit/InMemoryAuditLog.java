package dev.reflex.testkit;

import dev.reflex.domain.model.AuditEntry;
import dev.reflex.domain.port.AuditLog;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link AuditLog} in memory, append-only like the real one. */
public final class InMemoryAuditLog implements AuditLog {

  private final List<AuditEntry> entries = new CopyOnWriteArrayList<>();

  @Override
  public void append(AuditEntry entry) {
    entries.add(Objects.requireNonNull(entry, "entry"));
  }

  @Override
  public List<AuditEntry> byIncident(String incidentId) {
    return entries.stream().filter(e -> e.incidentId().equals(incidentId))
        .sorted(Comparator.comparing(AuditEntry::at)).toList();
  }

  /** Every entry in the order appended. */
  public List<AuditEntry> all() {
    return List.copyOf(entries);
  }
}
