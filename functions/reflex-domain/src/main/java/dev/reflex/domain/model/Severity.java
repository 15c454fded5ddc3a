package dev.reflex.domain.model;

import java.util.Locale;

/** How bad an anomaly is; parsed leniently from labels such as {@code severity=critical}. */
public enum Severity {
  LOW,
  MEDIUM,
  HIGH,
  CRITICAL;

  public static Severity parse(String text, Severity fallback) {
    if (text == null) {
      return fallback;
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "critical", "page", "p1", "sev1" -> CRITICAL;
      case "high", "error", "major", "p2", "sev2" -> HIGH;
      case "medium", "warning", "warn", "p3", "sev3" -> MEDIUM;
      case "low", "info", "minor", "p4", "p5", "sev4" -> LOW;
      default -> fallback;
    };
  }
}
