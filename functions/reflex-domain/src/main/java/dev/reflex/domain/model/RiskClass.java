package dev.reflex.domain.model;

import java.util.Locale;

/**
 * How much harm a step can do. Always computed by Reflex's classifier from the step itself; the
 * class a playbook declares is only compared with it, never trusted.
 */
public enum RiskClass {
  /** Observes only: reads metrics, logs, status. */
  READ_ONLY,
  /** Changes state in a way that is routine and reversible: restart, scale, config with rollback. */
  SAFE_WRITE,
  /** Can lose data or change what runs in production: deletion, deploy rollback, schema change. */
  CRITICAL_WRITE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RiskClass parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("risk class is required");
    }
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "risk class must be read_only, safe_write or critical_write: " + text);
    }
  }

  public RiskClass max(RiskClass other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
