package dev.reflex.testkit;

import dev.reflex.domain.model.Feedback;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.FeedbackStore;
import java.util.ArrayList;
import java.util.List;

/** Thread-safe, append-only in-memory {@link FeedbackStore}. */
public final class InMemoryFeedbackStore implements FeedbackStore {

  private final List<Feedback> all = new ArrayList<>();

  @Override
  public synchronized void append(Feedback feedback) {
    all.add(feedback);
  }

  @Override
  public synchronized List<Feedback> forIncident(String incidentId) {
    return all.stream().filter(f -> f.incidentId().equals(incidentId)).toList();
  }

  @Override
  public synchronized List<Feedback> forPattern(Signature signature, String playbookId) {
    return all.stream().filter(f -> signature.equals(f.signature()) && playbookId.equals(f.playbookId())).toList();
  }

  public synchronized List<Feedback> all() {
    return List.copyOf(new ArrayList<>(all));
  }
}
