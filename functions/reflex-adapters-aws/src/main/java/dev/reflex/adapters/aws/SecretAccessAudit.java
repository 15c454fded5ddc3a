package dev.reflex.adapters.aws;

import java.time.Instant;

/**
 * Hears of every secret read: which secret (by name), what for, and when. Never the value.
 * Implementations: {@link InMemorySecretAccessAudit} (tests, embedded runtime),
 * {@link LoggingSecretAccessAudit}; the audit trail can adapt it to its append-only table.
 */
@FunctionalInterface
public interface SecretAccessAudit {

  /**
   * @param name the secret's name or ARN
   * @param purpose why it was read, e.g. {@code approval-link-signing}
   */
  void record(String name, String purpose, Instant at);
}
