package dev.reflex.testkit;

import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.AlertStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test alerts. {@link #highLatency()} is the seed case: payment-api in india, P99 1850 ms vs 500 ms. */
public final class Alerts {

  public static final Instant STARTS_AT = Instant.parse("2025-03-14T09:20:00Z");

  private Alerts() {}

  /** A firing Alertmanager alert with these labels (alertname added) and no annotations. */
  public static Alert firing(String alertName, Map<String, String> labels) {
    return builder(alertName).labels(labels).build();
  }

  public static Alert firing(String alertName, Map<String, String> labels, Map<String, String> annotations) {
    return builder(alertName).labels(labels).annotations(annotations).build();
  }

  public static Alert highLatency() {
    return builder("HighLatency")
        .label("service", "payment-api").label("region", "india").label("severity", "critical")
        .annotation("value", "1850ms").annotation("threshold", "500ms")
        .annotation("summary", "P99 latency of payment-api above 500ms")
        .build();
  }

  /** The same occurrence, resolved. */
  public static Alert resolved(Alert alert, Instant endsAt) {
    return new Alert(alert.source(), alert.fingerprint(), AlertStatus.RESOLVED, alert.labels(), alert.annotations(),
        alert.startsAt(), endsAt, alert.generatorUrl());
  }

  /** A new occurrence of the same alert (same fingerprint, later start). */
  public static Alert recurrence(Alert alert, Instant startsAt) {
    return new Alert(alert.source(), alert.fingerprint(), AlertStatus.FIRING, alert.labels(), alert.annotations(),
        startsAt, null, alert.generatorUrl());
  }

  public static Builder builder(String alertName) {
    return new Builder(alertName);
  }

  /** Builds an alert field by field. */
  public static final class Builder {
    private String source = "alertmanager";
    private String fingerprint;
    private AlertStatus status = AlertStatus.FIRING;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, String> annotations = new LinkedHashMap<>();
    private Instant startsAt = STARTS_AT;
    private Instant endsAt;
    private String generatorUrl = "";

    private Builder(String alertName) {
      labels.put("alertname", alertName);
    }

    public Builder source(String value) { source = value; return this; }
    public Builder fingerprint(String value) { fingerprint = value; return this; }
    public Builder status(AlertStatus value) { status = value; return this; }
    public Builder label(String name, String value) { labels.put(name, value); return this; }
    public Builder labels(Map<String, String> values) { labels.putAll(values); return this; }
    public Builder annotation(String name, String value) { annotations.put(name, value); return this; }
    public Builder annotations(Map<String, String> values) { annotations.putAll(values); return this; }
    public Builder startsAt(Instant value) { startsAt = value; return this; }
    public Builder endsAt(Instant value) { endsAt = value; return this; }
    public Builder generatorUrl(String value) { generatorUrl = value; return this; }

    public Alert build() {
      String print = fingerprint != null ? fingerprint
          : Integer.toHexString(new java.util.TreeMap<>(labels).toString().hashCode());
      return new Alert(source, print, status, labels, annotations, startsAt, endsAt, generatorUrl);
    }
  }
}
