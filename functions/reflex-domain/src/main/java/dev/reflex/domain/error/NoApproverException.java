package dev.reflex.domain.error;

/**
 * Nobody may approve this plan: the policy names no approver able to approve its risk class and no
 * fallback approvers are configured. A request nobody can answer is refused instead of waiting.
 */
public class NoApproverException extends ReflexException {
  public NoApproverException(String message) {
    super(message);
  }
}
