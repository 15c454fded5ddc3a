package dev.reflex.domain.port;

import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.error.IncidentNotFoundException;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where incidents live. Opening is idempotent per alert occurrence, and updates are optimistic:
 * both hold under concurrent deliveries and concurrent workflow steps.
 */
public interface IncidentStore {

  /**
   * Stores {@code incident} unless an incident already exists for its occurrence key. Atomic: of
   * many concurrent calls for one occurrence exactly one creates.
   */
  Opened openIfAbsent(Incident incident);

  Optional<Incident> find(String id);

  Optional<Incident> findByOccurrenceKey(String occurrenceKey);

  /**
   * Writes {@code incident} if the stored revision equals {@code incident.revision()}.
   *
   * @return the stored incident, with its revision incremented
   * @throws dev.reflex.domain.error.ConcurrentUpdateException when the stored copy has moved on
   * @throws dev.reflex.domain.error.IncidentNotFoundException when there is no such incident
   */
  Incident update(Incident incident);

  /**
   * Marks an incident DETECTED whose anomaly was recorded when it was opened: if the stored
   * incident is {@code OPEN} and has its anomaly, its status becomes {@code DETECTED}, its
   * {@code updatedAt} {@code at} and its revision moves on; otherwise nothing changes. Atomic. A
   * store that can write conditionally does it in one write without reading first; this default
   * reads, then updates optimistically.
   *
   * @return the stored incident, and whether this call changed it
   * @throws IncidentNotFoundException when there is no such incident
   */
  default StatusChange markDetected(String id, Instant at) {
    ConcurrentUpdateException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      Incident current = find(id).orElseThrow(() -> new IncidentNotFoundException("no incident " + id));
      if (current.status() != IncidentStatus.OPEN || current.anomaly() == null) {
        return new StatusChange(current, false);
      }
      try {
        return new StatusChange(update(current.toBuilder().status(IncidentStatus.DETECTED).updatedAt(at).build()),
            true);
      } catch (ConcurrentUpdateException e) {
        last = e;
      }
    }
    throw last;
  }

  /** The most recent incidents, newest first. */
  List<Incident> recent(int limit);

  /** Result of {@link #openIfAbsent}: the stored incident and whether this call created it. */
  record Opened(Incident incident, boolean created) {}

  /** Result of a conditional status change: the stored incident and whether this call changed it. */
  record StatusChange(Incident incident, boolean changed) {}
}
