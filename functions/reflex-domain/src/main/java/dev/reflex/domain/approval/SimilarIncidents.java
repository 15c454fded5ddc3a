package dev.reflex.domain.approval;

import dev.reflex.domain.matching.TfIdfIndex;
import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.port.IncidentStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The past incidents most like this one that have an outcome (resolved or failed after a playbook
 * ran), by TF-IDF cosine similarity of the alert's name, label values, annotations and anomaly
 * type, at least {@value #MIN_SIMILARITY}. Only the {@code candidates} most recent incidents are
 * read, so the cost is bounded. Evidence for approvers: what happened the last times.
 */
public final class SimilarIncidents {

  public static final double MIN_SIMILARITY = 0.3;
  private static final String QUERY = "\u0000query";

  private final IncidentStore incidents;
  private final int candidates;

  public SimilarIncidents(IncidentStore incidents, int candidates) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    if (candidates < 1 || candidates > 10_000) {
      throw new IllegalArgumentException("candidates must be between 1 and 10000: " + candidates);
    }
    this.candidates = candidates;
  }

  /** At most {@code limit}, most similar first; ties go to the newer. */
  public List<Incident> like(Incident incident, int limit) {
    Map<String, Incident> withOutcome = new LinkedHashMap<>();
    Map<String, String> documents = new LinkedHashMap<>();
    for (Incident past : incidents.recent(candidates)) {
      if (past.id().equals(incident.id()) || !hasOutcome(past)) {
        continue;
      }
      withOutcome.put(past.id(), past);
      documents.put(past.id(), text(past));
    }
    if (documents.isEmpty()) {
      return List.of();
    }
    String query = text(incident);
    documents.put(QUERY, query);
    TfIdfIndex index = new TfIdfIndex(documents);
    List<Map.Entry<String, Double>> scored = new ArrayList<>(index.scores(query).entrySet());
    scored.removeIf(entry -> entry.getKey().equals(QUERY) || entry.getValue() < MIN_SIMILARITY);
    scored.sort(Comparator.comparing(Map.Entry<String, Double>::getValue).reversed());
    return scored.stream().limit(limit).map(entry -> withOutcome.get(entry.getKey())).toList();
  }

  static boolean hasOutcome(Incident incident) {
    return (incident.status() == IncidentStatus.RESOLVED || incident.status() == IncidentStatus.FAILED)
        && incident.playbookId() != null && incident.execution() != null;
  }

  private static String text(Incident incident) {
    Alert alert = incident.alert();
    StringBuilder text = new StringBuilder(alert.alertName());
    new TreeMap<>(alert.labels()).forEach((name, value) -> {
      if (!name.equals("alertname")) {
        text.append(' ').append(value);
      }
    });
    new TreeMap<>(alert.annotations()).values().forEach(value -> text.append(' ').append(value));
    return text.append(' ').append(incident.anomaly() == null ? "" : incident.anomaly().anomalyType()).toString();
  }
}
