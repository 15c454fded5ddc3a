package dev.reflex.domain.error;

/** The approval's time ran out; its link no longer works. */
public class ApprovalExpiredException extends ReflexException {
  public ApprovalExpiredException(String message) {
    super(message);
  }
}
