package dev.reflex.domain.error;

/** No playbook has the given id. */
public class PlaybookNotFoundException extends ReflexException {
  public PlaybookNotFoundException(String message) {
    super(message);
  }
}
