package dev.reflex.domain.model;

import dev.reflex.domain.error.InvalidInputException;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of the audit trail: who did what, when, about which incident. Entries are appended and
 * never changed. {@code detail} must already be free of secret values (callers redact command
 * output and name secrets, never quote them).
 *
 * @param incidentId the incident concerned, or {@link #SYSTEM} for what belongs to none (a secret
 *     read at start-up)
 * @param actor a person (approver, operator) or {@code reflex} for what Reflex did itself
 * @param action a dotted verb such as {@code approval.approved}, {@code execution.sent},
 *     {@code secret.read}
 */
public record AuditEntry(Instant at, String incidentId, String actor, String action, String detail) {

  public static final String SYSTEM = "system";
  public static final String REFLEX = "reflex";
  public static final int MAX_DETAIL = 4000;

  public AuditEntry {
    Objects.requireNonNull(at, "at");
    incidentId = required(incidentId, "incidentId", 200);
    actor = required(actor, "actor", 200);
    action = required(action, "action", 100);
    detail = Objects.requireNonNullElse(detail, "");
    if (detail.length() > MAX_DETAIL) {
      detail = detail.substring(0, MAX_DETAIL - 1) + "…";
    }
  }

  private static String required(String value, String field, int max) {
    if (value == null || value.isBlank()) {
      throw new InvalidInputException(field, field + " is required");
    }
    String flat = value.replaceAll("\\p{Cntrl}", " ").strip();
    return flat.length() > max ? flat.substring(0, max) : flat;
  }
}
