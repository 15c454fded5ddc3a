package dev.reflex.adapters.aws;

import dev.reflex.domain.error.ReflexException;

/**
 * An approval request could not be delivered (SES refused it, the webhook failed). The message
 * names the channel and the error code; never a webhook URL (a secret) or the link.
 */
public class ApprovalNotificationException extends ReflexException {
  public ApprovalNotificationException(String message) {
    super(message);
  }
}
