package dev.reflex.domain.port;

import dev.reflex.domain.model.Incident;
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

  /** The most recent incidents, newest first. */
  List<Incident> recent(int limit);

  /** Result of {@link #openIfAbsent}: the stored incident and whether this call created it. */
  record Opened(Incident incident, boolean created) {}
}
