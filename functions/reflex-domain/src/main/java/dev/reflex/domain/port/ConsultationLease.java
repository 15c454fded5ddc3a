package dev.reflex.domain.port;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A short exclusive claim on consulting for one signature, so that concurrent incidents of the
 * same kind ask the model once. A lease expires by itself: if its holder dies, another caller can
 * take it after {@code ttl}.
 */
public interface ConsultationLease {

  /**
   * Takes the lease for {@code signature} unless another owner holds an unexpired one. Atomic: of
   * many concurrent callers at most one gets it.
   *
   * @param owner unique per attempt (e.g. the incident id and a random suffix)
   * @return the lease, or empty when someone else holds it
   */
  Optional<Lease> tryAcquire(String signature, String owner, Duration ttl);

  /** Gives the lease up if this owner still holds it; does nothing otherwise. */
  void release(Lease lease);

  /** A held lease; it stops counting at {@code expiresAt}. */
  record Lease(String signature, String owner, Instant acquiredAt, Instant expiresAt) {
    public Lease {
      Objects.requireNonNull(signature, "signature");
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(acquiredAt, "acquiredAt");
      Objects.requireNonNull(expiresAt, "expiresAt");
      if (!expiresAt.isAfter(acquiredAt)) {
        throw new IllegalArgumentException("a lease must expire after it is acquired");
      }
    }
  }
}
