package dev.reflex.adapters.files;

import dev.reflex.domain.error.ReflexException;

/**
 * A playbook repository file Reflex cannot use: the message starts with {@code file:line:} so a
 * reviewer can go straight to the fault.
 */
public class CatalogException extends ReflexException {
  private final String file;
  private final int line;

  public CatalogException(String file, int line, String message) {
    super(file + ":" + Math.max(line, 1) + ": " + message);
    this.file = file;
    this.line = Math.max(line, 1);
  }

  public CatalogException(String file, int line, String message, Throwable cause) {
    super(file + ":" + Math.max(line, 1) + ": " + message, cause);
    this.file = file;
    this.line = Math.max(line, 1);
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }
}
