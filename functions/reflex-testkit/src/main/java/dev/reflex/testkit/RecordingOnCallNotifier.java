package dev.reflex.testkit;

import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.port.OnCallNotifier;
import java.util.ArrayList;
import java.util.List;

/** An {@link OnCallNotifier} that records every notice. */
public final class RecordingOnCallNotifier implements OnCallNotifier {

  public record Notice(String incidentId, IncidentStatus status, String summary) {}

  private final List<Notice> notices = new ArrayList<>();

  @Override
  public synchronized void remediationNeedsAttention(String incidentId, IncidentStatus status, String summary) {
    notices.add(new Notice(incidentId, status, summary));
  }

  public synchronized List<Notice> notices() {
    return List.copyOf(notices);
  }
}
