package dev.reflex.lambda.review;

import dev.reflex.adapters.files.Redactor;
import dev.reflex.domain.review.SyncPlaybooks;

/**
 * How a sync of the playbook repository reads in the audit trail: a configuration change (which
 * playbooks became active, rejected or disabled at which commit, and what could not be applied),
 * redacted and bounded like every audit detail.
 */
public final class SyncAudit {

  static final int LIMIT = 3000;

  private SyncAudit() {}

  /** "{trigger}: commit abc123…: change; change | problems: …". */
  public static String detail(String trigger, SyncPlaybooks.Report report) {
    StringBuilder text = new StringBuilder(trigger).append(": commit ").append(report.commitSha());
    if (!report.changes().isEmpty()) {
      text.append(": ").append(String.join("; ", report.changes()));
    }
    if (!report.problems().isEmpty()) {
      text.append(" | problems: ").append(String.join("; ", report.problems()));
    }
    return Redactor.redactAndTruncate(text.toString(), LIMIT);
  }
}
