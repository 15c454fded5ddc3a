package dev.reflex.testkit;

import dev.reflex.domain.model.PatternOccurrence;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.policy.PatternTotals;
import dev.reflex.domain.port.OutcomeHistory;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Thread-safe in-memory {@link OutcomeHistory}, keyed by incident; each pattern's standing beside. */
public final class InMemoryOutcomeHistory implements OutcomeHistory {

  /** A pattern's run of failures and since when it is disabled ({@code null}: enabled). */
  private record Standing(long consecutiveFailures, Instant disabledAt) {
    static final Standing NONE = new Standing(0, null);
  }

  private final Map<String, PatternOccurrence> byIncident = new LinkedHashMap<>();
  private final Map<String, Standing> standings = new LinkedHashMap<>();

  @Override
  public synchronized void recordDecision(PatternOccurrence occurrence) {
    byIncident.putIfAbsent(occurrence.incidentId(), occurrence);
  }

  @Override
  public synchronized void recordOutcome(String incidentId, boolean success, Instant at) {
    PatternOccurrence occurrence = byIncident.get(incidentId);
    if (occurrence == null || Boolean.valueOf(success).equals(occurrence.success())) {
      return;
    }
    byIncident.put(incidentId, occurrence.withOutcome(success, at));
    if (!occurrence.hasOutcome()) {
      standings.compute(key(occurrence.signature(), occurrence.playbookId()), (k, was) -> {
        Standing before = was == null ? Standing.NONE : was;
        return new Standing(success ? 0 : before.consecutiveFailures() + 1, before.disabledAt());
      });
    }
  }

  @Override
  public synchronized boolean disablePattern(Signature signature, String playbookId, Instant at) {
    Standing before = standings.getOrDefault(key(signature, playbookId), Standing.NONE);
    if (before.disabledAt() != null) {
      return false;
    }
    standings.put(key(signature, playbookId), new Standing(before.consecutiveFailures(), at));
    return true;
  }

  @Override
  public synchronized boolean reenablePattern(Signature signature, String playbookId) {
    Standing before = standings.getOrDefault(key(signature, playbookId), Standing.NONE);
    if (before.disabledAt() == null) {
      return false;
    }
    standings.put(key(signature, playbookId), Standing.NONE);
    return true;
  }

  @Override
  public synchronized PatternTotals patternTotals(Signature signature, String playbookId) {
    Standing standing = standings.getOrDefault(key(signature, playbookId), Standing.NONE);
    return PatternTotals.of(forPattern(signature, playbookId))
        .withStanding(standing.consecutiveFailures(), standing.disabledAt());
  }

  private static String key(Signature signature, String playbookId) {
    return signature + "#" + playbookId;
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
