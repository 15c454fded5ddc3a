package dev.reflex.domain.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One alert as a monitoring system reported it (an Alertmanager alert, a CloudWatch alarm, ...).
 *
 * <p>Label and annotation values are kept verbatim: they are untrusted text. They are normalised
 * for signatures, validated against parameter patterns before execution and passed to Ansible only
 * as quoted variables; they never reach a shell as part of a command line.
 *
 * @param fingerprint the source's identity of the label set; the same label set keeps the same
 *     fingerprint across separate occurrences, so an occurrence is keyed by fingerprint and
 *     {@code startsAt} (see {@link #occurrenceKey()})
 * @param endsAt when the alert resolved, or {@code null} while it fires
 */
public record Alert(
    String source,
    String fingerprint,
    AlertStatus status,
    Map<String, String> labels,
    Map<String, String> annotations,
    Instant startsAt,
    Instant endsAt,
    String generatorUrl) {

  public Alert {
    requireText(source, "source");
    requireText(fingerprint, "fingerprint");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(startsAt, "startsAt");
    labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
    annotations = Map.copyOf(Objects.requireNonNull(annotations, "annotations"));
    if (!labels.containsKey("alertname") || labels.get("alertname").isBlank()) {
      throw new IllegalArgumentException("labels.alertname is required");
    }
    generatorUrl = generatorUrl == null ? "" : generatorUrl;
  }

  public String alertName() {
    return labels.get("alertname");
  }

  public String label(String name) {
    return labels.get(name);
  }

  public String annotation(String name) {
    return annotations.get(name);
  }

  /** Identity of one occurrence of this alert: a re-delivery has the same key, a recurrence not. */
  public String occurrenceKey() {
    return source + "#" + fingerprint + "#" + startsAt;
  }

  /** Labels and annotations in a stable order, for text similarity and prompts. */
  public String describe() {
    StringBuilder text = new StringBuilder(alertName());
    new TreeMap<>(labels).forEach((k, v) -> text.append(' ').append(k).append('=').append(v));
    new TreeMap<>(annotations).forEach((k, v) -> text.append(' ').append(v));
    return text.toString();
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " is required");
    }
  }
}
