package dev.reflex.adapters.files;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Masks what looks like a secret in command output before it is stored or shown: assignments to
 * password/secret/token/key names, AWS access key ids, bearer tokens, GitHub tokens, credentials
 * in URLs and PEM private keys. A heuristic: it errs towards masking.
 */
public final class Redactor {

  public static final String MASK = "***";

  private record Rule(Pattern pattern, String replacement) {}

  private static final List<Rule> RULES = List.of(
      new Rule(Pattern.compile(
          "-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?:.*?-----END [A-Z0-9 ]*PRIVATE KEY-----|.*)", Pattern.DOTALL),
          "[REDACTED PRIVATE KEY]"),
      new Rule(Pattern.compile("(?i)\\b(bearer|basic|token)\\s+[A-Za-z0-9._~+/=-]{8,}"), "$1 " + MASK),
      new Rule(Pattern.compile("\\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}\\b"), "[REDACTED AWS KEY]"),
      new Rule(Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{20,}\\b|\\bgithub_pat_[A-Za-z0-9_]{20,}\\b|\\bglpat-[A-Za-z0-9_-]{20,}\\b"),
          "[REDACTED TOKEN]"),
      new Rule(Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]{0,20}://[^/\\s:@]{1,200}):[^@\\s/]{1,200}@"), "$1:" + MASK + "@"),
      new Rule(Pattern.compile(
          "(?i)((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential)"
              + "[A-Za-z0-9_.-]{0,40}[\"']?\\s{0,5}[=:]\\s{0,5}[\"']?)([^\\s\"',;&}]+)"),
          "$1" + MASK));

  private Redactor() {}

  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text == null ? "" : text;
    }
    String out = text;
    for (Rule rule : RULES) {
      out = rule.pattern().matcher(out).replaceAll(rule.replacement());
    }
    return out;
  }

  /** Redacts, then keeps at most {@code max} characters (the end is kept: errors come last). */
  public static String redactAndTruncate(String text, int max) {
    String redacted = redact(text);
    if (redacted.length() <= max) {
      return redacted;
    }
    String marker = "[truncated " + (redacted.length() - max) + " chars]…";
    return marker + redacted.substring(redacted.length() - Math.max(0, max - marker.length()));
  }
}
