package dev.reflex.domain.error;

/** The approval was already approved or rejected; a link works once. */
public class ApprovalAlreadyDecidedException extends ReflexException {
  public ApprovalAlreadyDecidedException(String message) {
    super(message);
  }
}
