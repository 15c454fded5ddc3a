package dev.reflex.testkit;

import dev.reflex.domain.model.ApprovalNotice;
import dev.reflex.domain.port.ApprovalNotifier;
import java.util.ArrayList;
import java.util.List;

/** An {@link ApprovalNotifier} that records every notice. */
public final class RecordingApprovalNotifier implements ApprovalNotifier {

  private final List<ApprovalNotice> notices = new ArrayList<>();

  @Override
  public synchronized void approvalRequested(ApprovalNotice notice) {
    notices.add(notice);
  }

  public synchronized List<ApprovalNotice> notices() {
    return List.copyOf(notices);
  }

  public synchronized ApprovalNotice last() {
    if (notices.isEmpty()) {
      throw new IllegalStateException("no notice was sent");
    }
    return notices.get(notices.size() - 1);
  }

  /** The link the last notice gave {@code approver}. */
  public synchronized String linkOf(String approver) {
    return last().links().stream().filter(link -> link.approver().equalsIgnoreCase(approver)).findFirst()
        .map(ApprovalNotice.PersonalLink::url)
        .orElseThrow(() -> new IllegalStateException("no link was sent to " + approver));
  }
}
