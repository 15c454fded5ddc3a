package dev.reflex.domain.port;

import dev.reflex.domain.model.AuditEntry;
import java.util.List;

/**
 * The append-only audit trail of decisions, approvals, commands sent, their output, secret reads
 * and configuration changes. There is deliberately no method to change or remove an entry, and
 * implementations offer none.
 */
public interface AuditLog {

  /** Adds an entry; two entries with the same time are both kept. */
  void append(AuditEntry entry);

  /** Entries about one incident, oldest first. */
  List<AuditEntry> byIncident(String incidentId);
}
