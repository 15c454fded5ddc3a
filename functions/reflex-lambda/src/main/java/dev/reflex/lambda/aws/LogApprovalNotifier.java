package dev.reflex.lambda.aws;

import dev.reflex.domain.model.ApprovalNotice;
import dev.reflex.domain.port.ApprovalNotifier;
import org.jboss.logging.Logger;

/**
 * Records that an approval is waiting, for deployments without SES. The signed links are bearer
 * capabilities, each bound to one approver, so they are not written to the log: it names the
 * approval, the incident and who must approve.
 */
public final class LogApprovalNotifier implements ApprovalNotifier {

  private static final Logger LOG = Logger.getLogger(LogApprovalNotifier.class);

  @Override
  public void approvalRequested(ApprovalNotice notice) {
    LOG.infof("approval %s requested for incident %s from %d of %s", notice.approvalId(), notice.incidentId(),
        notice.required(), notice.approvers());
  }
}
