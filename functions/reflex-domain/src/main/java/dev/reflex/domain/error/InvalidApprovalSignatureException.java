package dev.reflex.domain.error;

/** An approval link's signature does not match: forged or altered. */
public class InvalidApprovalSignatureException extends ReflexException {
  public InvalidApprovalSignatureException(String message) {
    super(message);
  }
}
