package dev.reflex.testkit;

import dev.reflex.domain.model.PatternOccurrence;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.OutcomeHistory;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Thread-safe in-memory {@link OutcomeHistory}, keyed by incident. */
public final class InMemoryOutcomeHistory implements OutcomeHistory {

  private final Map<String, PatternOccurrence> byIncident = new LinkedHashMap<>();

  @Override
  public synchronized void recordDecision(PatternOccurrence occurrence) {
    byIncident.putIfAbsent(occurrence.incidentId(), occurrence);
  }

  @Override
  public synchronized void recordOutcome(String incidentId, boolean success, Instant at) {
    byIncident.computeIfPresent(incidentId, (id, occurrence) -> occurrence.withOutcome(success, at));
  }

  @Override
  public synchronized List<PatternOccurrence> forPattern(Signature signature, String playbookId) {
    return byIncident.values().stream()
        .filter(o -> o.signature().equals(signature) && o.playbookId().equals(playbookId)).toList();
  }

  @Override
  public synchronized List<PatternOccurrence> forCategory(String category, Instant since) {
    return byIncident.values().stream()
        .filter(o -> o.category().equals(category) && !o.decidedAt().isBefore(since)).toList();
  }

  /** Stores an occurrence as is (test set-up: history that happened before the test). */
  public synchronized InMemoryOutcomeHistory put(PatternOccurrence occurrence) {
    byIncident.put(occurrence.incidentId(), occurrence);
    return this;
  }

  public synchronized List<PatternOccurrence> all() {
    return List.copyOf(byIncident.values());
  }
}
