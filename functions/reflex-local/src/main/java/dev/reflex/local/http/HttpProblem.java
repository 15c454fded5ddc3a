package dev.reflex.local.http;

/**
 * A request the server answers with an error status; the message and field are safe to show to the
 * client (they never hold a stack trace or an echoed secret).
 */
final class HttpProblem extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String field;

  HttpProblem(int status, String field, String message) {
    super(message, null, false, false);
    this.status = status;
    this.field = field;
  }

  int status() {
    return status;
  }

  String field() {
    return field;
  }
}
