package dev.reflex.testkit;

import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.error.IncidentNotFoundException;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.port.IncidentStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Thread-safe in-memory {@link IncidentStore} with the real store's atomicity and revision checks. */
public final class InMemoryIncidentStore implements IncidentStore {

  private final Map<String, Incident> byId = new LinkedHashMap<>();
  private final Map<String, String> idByOccurrence = new HashMap<>();

  @Override
  public synchronized Opened openIfAbsent(Incident incident) {
    String existing = idByOccurrence.get(incident.occurrenceKey());
    if (existing != null) {
      return new Opened(byId.get(existing), false);
    }
    if (byId.containsKey(incident.id())) {
      throw new IllegalStateException("incident id already used: " + incident.id());
    }
    Incident stored = incident.withRevision(0);
    byId.put(stored.id(), stored);
    idByOccurrence.put(stored.occurrenceKey(), stored.id());
    return new Opened(stored, true);
  }

  @Override
  public synchronized Optional<Incident> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public synchronized Optional<Incident> findByOccurrenceKey(String occurrenceKey) {
    return Optional.ofNullable(idByOccurrence.get(occurrenceKey)).map(byId::get);
  }

  @Override
  public synchronized Incident update(Incident incident) {
    Incident stored = byId.get(incident.id());
    if (stored == null) {
      throw new IncidentNotFoundException("no incident " + incident.id());
    }
    if (stored.revision() != incident.revision()) {
      throw new ConcurrentUpdateException("incident " + incident.id() + " is at revision " + stored.revision()
          + ", not " + incident.revision());
    }
    Incident next = incident.withRevision(stored.revision() + 1);
    byId.put(next.id(), next);
    return next;
  }

  @Override
  public synchronized StatusChange markDetected(String id, Instant at) {
    Incident stored = byId.get(id);
    if (stored == null) {
      throw new IncidentNotFoundException("no incident " + id);
    }
    if (stored.status() != IncidentStatus.OPEN || stored.anomaly() == null) {
      return new StatusChange(stored, false);
    }
    Incident next = stored.toBuilder().status(IncidentStatus.DETECTED).updatedAt(at).build()
        .withRevision(stored.revision() + 1);
    byId.put(id, next);
    return new StatusChange(next, true);
  }

  @Override
  public synchronized List<Incident> recent(int limit) {
    return byId.values().stream()
        .sorted(Comparator.comparing(Incident::createdAt).reversed())
        .limit(limit)
        .toList();
  }

  /** Every stored incident, in creation order. */
  public synchronized List<Incident> all() {
    return new ArrayList<>(byId.values());
  }

  public synchronized int size() {
    return byId.size();
  }

  /** Stores an incident as is, bypassing the checks (test set-up). */
  public synchronized Incident put(Incident incident) {
    byId.put(incident.id(), incident);
    idByOccurrence.put(incident.occurrenceKey(), incident.id());
    return incident;
  }
}
