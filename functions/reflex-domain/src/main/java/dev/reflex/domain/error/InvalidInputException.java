package dev.reflex.domain.error;

/** Input that Reflex refuses, with the field (JSON path) at fault, e.g. {@code alerts[0].labels.alertname}. */
public class InvalidInputException extends ReflexException {
  private final String field;

  public InvalidInputException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
