package dev.reflex.domain.detection;

import dev.reflex.domain.model.Severity;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which alert means which anomaly, and which labels name the service and the scope. This is data
 * (the playbook repository's {@code rules/detection.yml}), so a team teaches Reflex a new alert by
 * a reviewed change to a file, not by code.
 *
 * @param serviceLabels label names that carry the service, in order of preference
 * @param scopeLabels label names that carry the scope (region, namespace, cluster), in order
 * @param rules tried in order; the first that matches wins
 */
public record DetectionRules(
    List<String> serviceLabels, List<String> scopeLabels, String severityLabel, List<Rule> rules) {

  public DetectionRules {
    serviceLabels = List.copyOf(Objects.requireNonNull(serviceLabels, "service_labels"));
    scopeLabels = List.copyOf(Objects.requireNonNull(scopeLabels, "scope_labels"));
    severityLabel = Objects.requireNonNullElse(severityLabel, "severity");
    rules = List.copyOf(Objects.requireNonNull(rules, "rules"));
    if (serviceLabels.isEmpty()) {
      throw new IllegalArgumentException("service_labels must not be empty");
    }
  }

  /**
   * One detection rule.
   *
   * @param alertNames exact alert names (case-insensitive) that mean this anomaly
   * @param alertNamePattern a regular expression tried when no name matches; may be null
   * @param valueAnnotation annotation holding the measured value, e.g. {@code value}; may be null
   * @param thresholdAnnotation annotation holding the threshold; may be null
   */
  public record Rule(
      String anomalyType,
      List<String> alertNames,
      Pattern alertNamePattern,
      Severity defaultSeverity,
      String metric,
      String valueAnnotation,
      String thresholdAnnotation,
      String unit) {

    public Rule {
      if (anomalyType == null || !anomalyType.matches("[a-z0-9_]{1,63}")) {
        throw new IllegalArgumentException("anomaly_type must match [a-z0-9_]{1,63}: " + anomalyType);
      }
      alertNames = List.copyOf(Objects.requireNonNullElse(alertNames, List.of()));
      defaultSeverity = Objects.requireNonNullElse(defaultSeverity, Severity.MEDIUM);
      metric = Objects.requireNonNullElse(metric, anomalyType);
      unit = Objects.requireNonNullElse(unit, "");
    }

    public boolean matches(String alertName) {
      for (String name : alertNames) {
        if (name.equalsIgnoreCase(alertName)) {
          return true;
        }
      }
      return alertNamePattern != null && alertNamePattern.matcher(alertName).matches();
    }
  }
}
