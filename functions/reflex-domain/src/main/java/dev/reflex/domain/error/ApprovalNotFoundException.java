package dev.reflex.domain.error;

/** No approval has the given id. */
public class ApprovalNotFoundException extends ReflexException {
  public ApprovalNotFoundException(String message) {
    super(message);
  }
}
