package dev.reflex.domain.model;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A playbook input. Its value comes from an alert label (untrusted) or a default, and must match
 * {@code pattern} in full before anything runs.
 */
public record Parameter(
    String name, String description, String fromLabel, String pattern, String defaultValue, boolean required) {

  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  public Parameter {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("parameter name must match " + NAME + ": " + name);
    }
    if (pattern == null || pattern.isBlank()) {
      throw new IllegalArgumentException("parameter " + name + " needs a validation pattern");
    }
    try {
      Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("parameter " + name + " has an invalid pattern: " + e.getDescription());
    }
    description = Objects.requireNonNullElse(description, "");
  }

  public boolean accepts(String value) {
    return value != null && Pattern.compile(pattern).matcher(value).matches();
  }
}
