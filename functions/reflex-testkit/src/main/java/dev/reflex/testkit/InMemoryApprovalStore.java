package dev.reflex.testkit;

import dev.reflex.domain.model.Approval;
import dev.reflex.domain.port.ApprovalStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Thread-safe in-memory {@link ApprovalStore}; {@link #update} is a compare-and-set like the real one. */
public final class InMemoryApprovalStore implements ApprovalStore {

  private final Map<String, Approval> byId = new LinkedHashMap<>();

  @Override
  public synchronized void create(Approval approval) {
    if (byId.containsKey(approval.id())) {
      throw new IllegalStateException("approval id already used: " + approval.id());
    }
    byId.put(approval.id(), approval);
  }

  @Override
  public synchronized Optional<Approval> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** The most recently created approval of the incident. */
  @Override
  public synchronized Optional<Approval> findByIncident(String incidentId) {
    Approval latest = null;
    for (Approval approval : byId.values()) {
      if (approval.incidentId().equals(incidentId)) {
        latest = approval;
      }
    }
    return Optional.ofNullable(latest);
  }

  /** Compare and set on the version, like the real store's conditional write. */
  @Override
  public synchronized boolean update(Approval next) {
    Approval stored = byId.get(next.id());
    if (stored == null || stored.version() != next.version() - 1) {
      return false;
    }
    byId.put(next.id(), next);
    return true;
  }

  public synchronized List<Approval> all() {
    return new ArrayList<>(byId.values());
  }
}
