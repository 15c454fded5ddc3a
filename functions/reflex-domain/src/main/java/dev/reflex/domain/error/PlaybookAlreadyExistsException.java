package dev.reflex.domain.error;

/** A playbook with the given id already exists. */
public class PlaybookAlreadyExistsException extends ReflexException {
  public PlaybookAlreadyExistsException(String message) {
    super(message);
  }
}
