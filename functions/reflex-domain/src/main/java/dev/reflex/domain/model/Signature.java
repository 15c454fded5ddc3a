package dev.reflex.domain.model;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The identity of a kind of incident: {@code anomalyType|service|scope}, e.g.
 * {@code high_latency|payment-api|india}. Recurrences of the same problem share a signature, and
 * learned playbooks are matched by it.
 *
 * <p>Each part is normalised (lower case, trimmed, runs of characters outside {@code [a-z0-9._-]}
 * collapsed to one {@code -}, at most 63 characters), so a hostile label value such as
 * {@code api; rm -rf /} becomes {@code api-rm-rf} and can never break the format.
 */
public record Signature(String anomalyType, String service, String scope) {

  private static final Pattern UNSAFE = Pattern.compile("[^a-z0-9._-]+");
  private static final Pattern COMBINING = Pattern.compile("\\p{M}+");
  private static final Pattern DASHES = Pattern.compile("-{2,}");
  private static final Pattern PART = Pattern.compile("[a-z0-9._-]{1,63}");
  public static final String UNKNOWN = "unknown";

  public Signature {
    for (String part : new String[] {anomalyType, service, scope}) {
      Objects.requireNonNull(part, "signature part");
      if (!PART.matcher(part).matches()) {
        throw new IllegalArgumentException("signature part is not normalised: " + part);
      }
    }
  }

  /** Builds a signature from raw, untrusted values. */
  public static Signature of(String anomalyType, String service, String scope) {
    return new Signature(normalise(anomalyType), normalise(service), normalise(scope));
  }

  public static Signature parse(String text) {
    String[] parts = Objects.requireNonNull(text, "signature").split("\\|", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("signature must be type|service|scope: " + text);
    }
    return new Signature(parts[0], parts[1], parts[2]);
  }

  /** Normalises one untrusted value into the safe character set. */
  public static String normalise(String raw) {
    if (raw == null) {
      return UNKNOWN;
    }
    String folded = COMBINING.matcher(Normalizer.normalize(raw, Normalizer.Form.NFKD)).replaceAll("")
        .toLowerCase(Locale.ROOT).trim();
    String safe = UNSAFE.matcher(folded).replaceAll("-");
    // "--" separates the parts of a slug, so a part never contains it
    safe = DASHES.matcher(safe).replaceAll("-");
    safe = safe.replaceAll("^[-.]+|[-.]+$", "");
    if (safe.length() > 63) {
      safe = safe.substring(0, 63).replaceAll("[-.]+$", "");
    }
    return safe.isEmpty() ? UNKNOWN : safe;
  }

  /** A string usable in a Git branch name or a file name: {@code high_latency--payment-api--india}. */
  public String slug() {
    return (anomalyType + "--" + service + "--" + scope).replace('_', '-');
  }

  /** True when this signature matches a pattern such as {@code high_latency|*|*}. */
  public boolean matches(String pattern) {
    String[] parts = pattern.split("\\|", -1);
    if (parts.length != 3) {
      return false;
    }
    return part(parts[0], anomalyType) && part(parts[1], service) && part(parts[2], scope);
  }

  private static boolean part(String pattern, String value) {
    return pattern.equals("*") || pattern.equals(value);
  }

  @Override
  public String toString() {
    return anomalyType + "|" + service + "|" + scope;
  }
}
