package dev.reflex.domain.error;

/** A write was refused because the stored copy changed since it was read. */
public class ConcurrentUpdateException extends ReflexException {
  public ConcurrentUpdateException(String message) {
    super(message);
  }
}
