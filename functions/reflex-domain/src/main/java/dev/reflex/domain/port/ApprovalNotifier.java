package dev.reflex.domain.port;

import dev.reflex.domain.model.ApprovalNotice;

/**
 * Tells approvers that a plan waits for them: e-mail through SES on AWS (one message per approver,
 * with their own link), a chat channel as a heads-up, the outbox folder and the console locally.
 */
public interface ApprovalNotifier {

  /** @param notice the evidence and one personal link per approver (links never act on GET) */
  void approvalRequested(ApprovalNotice notice);
}
