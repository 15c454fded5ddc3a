package dev.reflex.local.review;

import java.util.Comparator;
import java.util.Objects;

/** One line of {@code reflex validate}: {@code file:line: message}, warnings marked as such. */
public record Diagnostic(String file, int line, boolean error, String message) {

  static final Comparator<Diagnostic> ORDER = Comparator.comparing(Diagnostic::file)
      .thenComparingInt(Diagnostic::line).thenComparing(Diagnostic::message);

  public Diagnostic {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
    line = Math.max(line, 1);
  }

  static Diagnostic error(String file, int line, String message) {
    return new Diagnostic(file, line, true, message);
  }

  static Diagnostic warning(String file, int line, String message) {
    return new Diagnostic(file, line, false, message);
  }

  @Override
  public String toString() {
    return file + ":" + line + ": " + (error ? "" : "warning: ") + message;
  }
}
