package dev.reflex.adapters.pullrequests.internal;

import java.util.regex.Pattern;

/**
 * Makes provider text safe for an exception message: the token in use and anything shaped like a
 * GitHub or GitLab token are replaced by {@code ***}, whitespace is collapsed and the text is cut
 * to {@value #MAX_DETAIL} characters.
 */
public final class Redaction {

  public static final int MAX_DETAIL = 300;

  private static final Pattern TOKEN_SHAPES = Pattern.compile(
      "(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_\\-]{20,}"
          + "|(?i:bearer)\\s+[A-Za-z0-9._~+/=\\-]{8,})");

  private Redaction() {}

  public static String scrub(String text, String token) {
    if (text == null) {
      return "";
    }
    String safe = text;
    if (token != null && !token.isBlank()) {
      safe = safe.replace(token.strip(), "***");
    }
    safe = TOKEN_SHAPES.matcher(safe).replaceAll("***");
    safe = safe.replaceAll("\\s+", " ").strip();
    if (safe.length() > MAX_DETAIL) {
      safe = truncate(safe, MAX_DETAIL - 1) + "…";
    }
    return safe;
  }

  /** At most {@code max} characters, never splitting a surrogate pair. */
  public static String truncate(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = max;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }

  /** A title cut to {@code max} characters, ending with {@code …} when it was cut. */
  public static String title(String title, int max) {
    String stripped = title.strip();
    return stripped.length() <= max ? stripped : truncate(stripped, max - 1) + "…";
  }
}
