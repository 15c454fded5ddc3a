package dev.reflex.lambda.audit;

import dev.reflex.adapters.files.Redactor;
import dev.reflex.domain.model.AuditEntry;

/** What the auditing decorators share: redaction and the incident the current thread works on. */
public final class Audits {

  private static final ThreadLocal<String> CURRENT_INCIDENT = new ThreadLocal<>();

  private Audits() {}

  /** Redacted (secret-looking values masked) and truncated to {@code max} characters. */
  public static String safe(String text, int max) {
    return Redactor.redactAndTruncate(text == null ? "" : text, max);
  }

  /** The incident being executed on this thread, else {@link AuditEntry#SYSTEM}. */
  public static String currentIncident() {
    String id = CURRENT_INCIDENT.get();
    return id == null ? AuditEntry.SYSTEM : id;
  }

  /** Attributes what this thread audits (secret reads) to {@code incidentId} until {@link #leave()}. */
  public static void enter(String incidentId) {
    CURRENT_INCIDENT.set(incidentId);
  }

  public static void leave() {
    CURRENT_INCIDENT.remove();
  }
}
