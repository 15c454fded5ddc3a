package dev.reflex.local.audit;

import dev.reflex.adapters.files.Redactor;
import dev.reflex.domain.model.AuditEntry;

/** What the auditing decorators share: redaction and the incident the current thread works on. */
final class Audits {

  private static final ThreadLocal<String> CURRENT_INCIDENT = new ThreadLocal<>();

  private Audits() {}

  /** Redacted (secret-looking values masked) and truncated to {@code max} characters. */
  static String safe(String text, int max) {
    return Redactor.redactAndTruncate(text == null ? "" : text, max);
  }

  /** The incident being executed on this thread, else {@link AuditEntry#SYSTEM}. */
  static String currentIncident() {
    String id = CURRENT_INCIDENT.get();
    return id == null ? AuditEntry.SYSTEM : id;
  }

  static void enter(String incidentId) {
    CURRENT_INCIDENT.set(incidentId);
  }

  static void leave() {
    CURRENT_INCIDENT.remove();
  }
}
