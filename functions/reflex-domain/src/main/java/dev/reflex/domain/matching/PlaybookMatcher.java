package dev.reflex.domain.matching;

import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.AnomalyReport;
import dev.reflex.domain.model.MatchResult;
import dev.reflex.domain.model.MatchResult.MatchedBy;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Chooses the playbook for an anomaly. Pure: the caller loads the candidates.
 *
 * <p>Three ways to be a candidate, each scored by a confidence in [0, 1]:
 *
 * <ol>
 *   <li>{@link MatchedBy#SIGNATURE}: a learned playbook drafted for exactly this signature; its
 *       learned confidence.
 *   <li>{@link MatchedBy#ANOMALY_TYPE}: a catalog playbook declaring the anomaly type whose
 *       signature patterns (if any) match; its learned confidence.
 *   <li>{@link MatchedBy#SIMILARITY}: a learned playbook whose evidence reads like this alert;
 *       TF-IDF cosine times its learned confidence.
 * </ol>
 *
 * The highest confidence wins (ties: signature before type before similarity, then catalog before
 * learned before LLM, then id). It is {@code matched} only at or above the threshold. Playbooks that
 * are rejected or disabled are never candidates.
 */
public final class PlaybookMatcher {

  private static final Comparator<Candidate> BEST_FIRST = Comparator
      .comparingDouble(Candidate::confidence).reversed()
      .thenComparing(Candidate::matchedBy)
      .thenComparing(candidate -> candidate.playbook().source())
      .thenComparing(candidate -> candidate.playbook().id())
      .thenComparing(candidate -> candidate.playbook().version());

  private final double threshold;

  public PlaybookMatcher(double threshold) {
    if (Double.isNaN(threshold) || threshold < 0 || threshold > 1) {
      throw new IllegalArgumentException("match threshold must be within [0, 1]: " + threshold);
    }
    this.threshold = threshold;
  }

  public double threshold() {
    return threshold;
  }

  public MatchResult match(Alert alert, AnomalyReport anomaly, List<Playbook> bySignature,
      List<Playbook> byAnomalyType, List<Playbook> similarityCandidates) {
    Objects.requireNonNull(alert, "alert");
    Objects.requireNonNull(anomaly, "anomaly");
    List<Candidate> candidates = candidates(alert, anomaly, bySignature, byAnomalyType, similarityCandidates);
    if (candidates.isEmpty()) {
      return MatchResult.none(threshold, 0);
    }
    Candidate best = candidates.stream().sorted(BEST_FIRST).findFirst().orElseThrow();
    Playbook playbook = best.playbook();
    return new MatchResult(best.confidence() >= threshold, playbook.id(), playbook.version(), playbook.source(),
        best.confidence(), best.matchedBy(), threshold, candidates.size());
  }

  /** Every scored candidate, best first; each playbook once, by the first way it qualified. */
  public List<Candidate> candidates(Alert alert, AnomalyReport anomaly, List<Playbook> bySignature,
      List<Playbook> byAnomalyType, List<Playbook> similarityCandidates) {
    Map<String, Candidate> byId = new LinkedHashMap<>();
    for (Playbook playbook : nullSafe(bySignature)) {
      if (playbook.status().matchable() && anomaly.signature().equals(playbook.signature())) {
        offer(byId, new Candidate(playbook, playbook.stats().confidence(), MatchedBy.SIGNATURE));
      }
    }
    for (Playbook playbook : nullSafe(byAnomalyType)) {
      if (playbook.source() == PlaybookSource.CATALOG
          && playbook.status().matchable()
          && playbook.anomalyTypes().contains(anomaly.anomalyType())
          && (playbook.signaturePatterns().isEmpty()
              || playbook.signaturePatterns().stream().anyMatch(anomaly.signature()::matches))) {
        offer(byId, new Candidate(playbook, playbook.stats().confidence(), MatchedBy.ANOMALY_TYPE));
      }
    }
    List<Playbook> similar = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (Playbook playbook : nullSafe(similarityCandidates)) {
      if (playbook.source() != PlaybookSource.CATALOG && playbook.status().matchable()
          && !byId.containsKey(playbook.id()) && seen.add(playbook.id())) {
        similar.add(playbook);
      }
    }
    if (!similar.isEmpty()) {
      Map<String, String> documents = new LinkedHashMap<>();
      similar.forEach(playbook -> documents.put(playbook.id(),
          playbook.evidenceText() + " " + playbook.title() + " " + playbook.description()));
      TfIdfIndex index = new TfIdfIndex(documents);
      String query = alert.describe() + " " + anomaly.anomalyType();
      for (Playbook playbook : similar) {
        double cosine = index.similarity(query, playbook.id());
        if (cosine > 0) {
          offer(byId, new Candidate(playbook, cosine * playbook.stats().confidence(), MatchedBy.SIMILARITY));
        }
      }
    }
    return byId.values().stream().sorted(BEST_FIRST).toList();
  }

  private static void offer(Map<String, Candidate> byId, Candidate candidate) {
    byId.putIfAbsent(candidate.playbook().id(), candidate);
  }

  private static List<Playbook> nullSafe(List<Playbook> playbooks) {
    return playbooks == null ? List.of() : playbooks;
  }

  /** One scored playbook. */
  public record Candidate(Playbook playbook, double confidence, MatchedBy matchedBy) {
    public Candidate {
      confidence = PlaybookStats.round(confidence);
    }
  }
}
