package dev.reflex.domain.error;

/** Base of Reflex's own failures. Each failure mode has its own subclass, named by the workflow. */
public abstract class ReflexException extends RuntimeException {
  protected ReflexException(String message) {
    super(message);
  }

  protected ReflexException(String message, Throwable cause) {
    super(message, cause);
  }
}
