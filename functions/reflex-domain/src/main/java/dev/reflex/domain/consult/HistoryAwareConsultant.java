package dev.reflex.domain.consult;

import dev.reflex.domain.matching.TfIdfIndex;
import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.port.Consultant;
import dev.reflex.domain.port.IncidentStore;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Gives the consultant Reflex's own history: the {@value #SIMILAR} past incidents most like this
 * one that have an outcome (resolved or failed, with the playbook that ran and its execution), by
 * TF-IDF cosine similarity of the alert's description and anomaly type (at least
 * {@value #MIN_SIMILARITY}). Only the {@code candidates}
 * most recent incidents are searched, so the cost is bounded.
 *
 * <p>History is advice: when the store cannot be read the consultation goes on without it.
 */
public final class HistoryAwareConsultant implements Consultant {

  public static final int SIMILAR = 3;
  /** Below this cosine similarity a past incident shares little more than its region. */
  public static final double MIN_SIMILARITY = 0.3;
  private static final String QUERY = "\u0000query";
  private static final System.Logger LOG = System.getLogger(HistoryAwareConsultant.class.getName());

  private final Consultant delegate;
  private final IncidentStore incidents;
  private final int candidates;

  /** @param candidates how many recent incidents to search, e.g. 200 */
  public HistoryAwareConsultant(Consultant delegate, IncidentStore incidents, int candidates) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    if (candidates < 1 || candidates > 10_000) {
      throw new IllegalArgumentException("candidates must be between 1 and 10000: " + candidates);
    }
    this.candidates = candidates;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Remediation consult(Request request) {
    if (request.similarIncidents() != null && !request.similarIncidents().isEmpty()) {
      return delegate.consult(request);
    }
    return delegate.consult(new Request(request.incident(), request.anomaly(), similar(request)));
  }

  /** The most similar past incidents with an outcome, most similar first; ties go to the newer. */
  List<Incident> similar(Request request) {
    List<Incident> recent;
    try {
      recent = incidents.recent(candidates);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "similar incidents unavailable: " + e.getClass().getSimpleName());
      return List.of();
    }
    Map<String, Incident> withOutcome = new LinkedHashMap<>();
    Map<String, String> documents = new LinkedHashMap<>();
    for (Incident past : recent) {
      if (past.id().equals(request.incident().id()) || !hasOutcome(past)) {
        continue;
      }
      withOutcome.put(past.id(), past);
      documents.put(past.id(), text(past));
    }
    if (documents.isEmpty()) {
      return List.of();
    }
    String query = text(request.incident().alert(), request.anomaly().anomalyType());
    // the query is part of the corpus, so that words every document shares weigh little
    documents.put(QUERY, query);
    TfIdfIndex index = new TfIdfIndex(documents);
    List<Map.Entry<String, Double>> scored = new ArrayList<>(index.scores(query).entrySet());
    scored.removeIf(entry -> entry.getKey().equals(QUERY) || entry.getValue() < MIN_SIMILARITY);
    // stable sort: equal scores keep the store's newest-first order
    scored.sort(Comparator.comparing(Map.Entry<String, Double>::getValue).reversed());
    return scored.stream().limit(SIMILAR).map(entry -> withOutcome.get(entry.getKey())).toList();
  }

  static boolean hasOutcome(Incident incident) {
    return (incident.status() == IncidentStatus.RESOLVED || incident.status() == IncidentStatus.FAILED)
        && incident.playbookId() != null && incident.execution() != null;
  }

  private static String text(Incident incident) {
    return text(incident.alert(), incident.anomaly() == null ? "" : incident.anomaly().anomalyType());
  }

  /**
   * The alert's name, label values and annotations (as {@link Alert#describe()}, without the label
   * names every alert shares) and the anomaly type.
   */
  static String text(Alert alert, String anomalyType) {
    StringBuilder text = new StringBuilder(alert.alertName());
    new TreeMap<>(alert.labels()).forEach((name, value) -> {
      if (!name.equals("alertname")) {
        text.append(' ').append(value);
      }
    });
    new TreeMap<>(alert.annotations()).values().forEach(value -> text.append(' ').append(value));
    return text.append(' ').append(anomalyType).toString();
  }
}
