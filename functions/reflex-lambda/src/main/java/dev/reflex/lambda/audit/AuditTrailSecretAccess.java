package dev.reflex.lambda.audit;

import dev.reflex.adapters.aws.SecretAccessAudit;
import dev.reflex.domain.model.AuditEntry;
import dev.reflex.domain.port.AuditLog;
import java.time.Instant;
import java.util.Objects;

/**
 * Secrets Manager reads into the audit trail ({@code secret.read}): the secret's name and why it was
 * read, never its value, under the incident this thread works on (else {@link AuditEntry#SYSTEM}).
 */
public final class AuditTrailSecretAccess implements SecretAccessAudit {

  private final AuditLog audit;

  public AuditTrailSecretAccess(AuditLog audit) {
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  @Override
  public void record(String name, String purpose, Instant at) {
    audit.append(new AuditEntry(at, Audits.currentIncident(), AuditEntry.REFLEX, "secret.read",
        Audits.safe(name + " (" + purpose + ")", 300)));
  }
}
