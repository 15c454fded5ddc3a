package dev.reflex.testkit;

import dev.reflex.domain.port.ConsultationLease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Thread-safe in-memory {@link ConsultationLease}; leases expire by the given clock. */
public final class InMemoryConsultationLease implements ConsultationLease {

  private final Clock clock;
  private final Map<String, Lease> leases = new HashMap<>();
  private int acquisitions;

  public InMemoryConsultationLease(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public synchronized Optional<Lease> tryAcquire(String signature, String owner, Duration ttl) {
    Instant now = clock.instant();
    Lease current = leases.get(signature);
    if (current != null && !current.expiresAt().isBefore(now)) {
      return Optional.empty();
    }
    Lease lease = new Lease(signature, owner, now, now.plus(ttl));
    leases.put(signature, lease);
    acquisitions++;
    return Optional.of(lease);
  }

  @Override
  public synchronized void release(Lease lease) {
    leases.remove(lease.signature(), lease);
  }

  /** The lease held for a signature, expired or not. */
  public synchronized Optional<Lease> held(String signature) {
    return Optional.ofNullable(leases.get(signature));
  }

  /** How many times a lease was granted. */
  public synchronized int acquisitions() {
    return acquisitions;
  }
}
