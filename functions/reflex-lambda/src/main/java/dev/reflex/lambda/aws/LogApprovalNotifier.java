package dev.reflex.lambda.aws;

import dev.reflex.domain.port.ApprovalNotifier;
import org.jboss.logging.Logger;

/**
 * Records that an approval is waiting. The signed link is a bearer capability, so it is not
 * written to the log: approvers receive it by e-mail (Amazon SES) once that notifier is deployed.
 */
public final class LogApprovalNotifier implements ApprovalNotifier {

  private static final Logger LOG = Logger.getLogger(LogApprovalNotifier.class);

  @Override
  public void approvalRequested(String approvalId, String incidentId, String summary, String approveUrl) {
    LOG.infof("approval %s requested for incident %s", approvalId, incidentId);
  }
}
