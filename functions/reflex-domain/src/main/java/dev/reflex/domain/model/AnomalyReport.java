package dev.reflex.domain.model;

import java.util.List;
import java.util.Objects;

/**
 * What detection concluded about an alert: which kind of anomaly, how severe, where, and the
 * measured values against their thresholds when the alert carries them.
 */
public record AnomalyReport(
    String anomalyType,
    Severity severity,
    String service,
    String scope,
    List<Measurement> measurements,
    Signature signature,
    String detectionRule) {

  public AnomalyReport {
    Objects.requireNonNull(anomalyType, "anomalyType");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(signature, "signature");
    measurements = List.copyOf(measurements == null ? List.of() : measurements);
    detectionRule = detectionRule == null ? "" : detectionRule;
  }

  /** One measured value of the alert's metric against its threshold. */
  public record Measurement(String metric, double value, Double threshold, String unit) {
    public Measurement {
      Objects.requireNonNull(metric, "metric");
      unit = unit == null ? "" : unit;
    }

    /** How many times the threshold the value is; {@code NaN} without a threshold. */
    public double ratio() {
      return threshold == null || threshold == 0 ? Double.NaN : value / threshold;
    }
  }
}
