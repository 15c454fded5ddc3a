package dev.reflex.domain.port;

/** Tells approvers that a plan waits for them (e-mail on AWS, the console and an outbox locally). */
public interface ApprovalNotifier {

  /**
   * @param approveUrl the signed link to the confirmation page (it never acts on GET)
   */
  void approvalRequested(String approvalId, String incidentId, String summary, String approveUrl);
}
