package dev.reflex.lambda.aws;

import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.port.OnCallNotifier;
import org.jboss.logging.Logger;

/**
 * Tells on-call through the function log (a CloudWatch metric filter or subscription pages from
 * it) that a remediation needs a person. The summary is already free of secrets.
 */
public final class LogOnCallNotifier implements OnCallNotifier {

  private static final Logger LOG = Logger.getLogger(LogOnCallNotifier.class);

  @Override
  public void remediationNeedsAttention(String incidentId, IncidentStatus status, String summary) {
    LOG.warnf("remediation needs a person: incident %s is %s: %s", incidentId, status,
        summary == null ? "" : summary.replaceAll("\\p{Cntrl}+", " "));
  }
}
