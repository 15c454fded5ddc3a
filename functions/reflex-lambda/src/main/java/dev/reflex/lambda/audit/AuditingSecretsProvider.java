package dev.reflex.lambda.audit;

import dev.reflex.domain.model.AuditEntry;
import dev.reflex.domain.port.AuditLog;
import dev.reflex.domain.port.SecretsProvider;
import java.time.Clock;
import java.util.Objects;

/**
 * Audits every secret read by the secret's name (never its value): under the incident being
 * executed on this thread, else under {@link AuditEntry#SYSTEM}.
 */
public final class AuditingSecretsProvider implements SecretsProvider {

  private final SecretsProvider delegate;
  private final AuditLog audit;
  private final Clock clock;

  public AuditingSecretsProvider(SecretsProvider delegate, AuditLog audit, Clock clock) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public byte[] secret(String name) {
    String incident = Audits.currentIncident();
    String shown = Audits.safe(String.valueOf(name), 200);
    try {
      byte[] value = delegate.secret(name);
      audit.append(new AuditEntry(clock.instant(), incident, AuditEntry.REFLEX, "secret.read", shown));
      return value;
    } catch (RuntimeException e) {
      audit.append(new AuditEntry(clock.instant(), incident, AuditEntry.REFLEX, "secret.read.failed",
          shown + ": " + e.getClass().getSimpleName()));
      throw e;
    }
  }
}
