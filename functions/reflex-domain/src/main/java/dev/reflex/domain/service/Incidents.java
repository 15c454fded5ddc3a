package dev.reflex.domain.service;

import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.error.IncidentNotFoundException;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.port.IncidentStore;
import java.util.function.UnaryOperator;

/** Loading and optimistic updating of incidents, shared by the use cases. */
final class Incidents {

  static final int ATTEMPTS = 5;

  private Incidents() {}

  static Incident load(IncidentStore store, String id) {
    return store.find(id).orElseThrow(() -> new IncidentNotFoundException("no incident " + id));
  }

  /**
   * Applies {@code change} to the stored incident and writes it, re-reading and re-applying on a
   * concurrent update. A change that returns its argument unchanged (the same instance) writes
   * nothing: that is how a retried step sees its work is already done.
   */
  static Incident modify(IncidentStore store, String id, UnaryOperator<Incident> change) {
    return modify(store, id, null, change);
  }

  /**
   * As {@link #modify(IncidentStore, String, UnaryOperator)}, starting from a copy the caller has
   * just loaded (saving a read); later attempts re-read.
   */
  static Incident modify(IncidentStore store, String id, Incident loaded, UnaryOperator<Incident> change) {
    ConcurrentUpdateException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Incident current = attempt == 0 && loaded != null ? loaded : load(store, id);
      Incident next = change.apply(current);
      if (next == current) {
        return current;
      }
      try {
        return store.update(next);
      } catch (ConcurrentUpdateException e) {
        last = e;
      }
    }
    throw last;
  }

  /** Untrusted text made fit for a timeline line: no control characters, bounded length. */
  static String clean(String text, int max) {
    if (text == null) {
      return "";
    }
    String flat = text.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").strip();
    return flat.length() > max ? flat.substring(0, max) + "..." : flat;
  }
}
