package dev.reflex.domain.error;

/** No incident has the given id. */
public class IncidentNotFoundException extends ReflexException {
  public IncidentNotFoundException(String message) {
    super(message);
  }
}
