package dev.reflex.testkit;

import dev.reflex.domain.port.ApprovalNotifier;
import java.util.ArrayList;
import java.util.List;

/** An {@link ApprovalNotifier} that records every notification. */
public final class RecordingApprovalNotifier implements ApprovalNotifier {

  public record Notification(String approvalId, String incidentId, String summary, String approveUrl) {}

  private final List<Notification> notifications = new ArrayList<>();

  @Override
  public synchronized void approvalRequested(String approvalId, String incidentId, String summary, String approveUrl) {
    notifications.add(new Notification(approvalId, incidentId, summary, approveUrl));
  }

  public synchronized List<Notification> notifications() {
    return List.copyOf(notifications);
  }

  public synchronized Notification last() {
    if (notifications.isEmpty()) {
      throw new IllegalStateException("no notification was sent");
    }
    return notifications.get(notifications.size() - 1);
  }
}
