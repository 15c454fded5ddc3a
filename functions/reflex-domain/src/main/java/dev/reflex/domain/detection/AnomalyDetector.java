package dev.reflex.domain.detection;

import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.AnomalyReport;
import dev.reflex.domain.model.AnomalyReport.Measurement;
import dev.reflex.domain.model.Severity;
import dev.reflex.domain.model.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an alert into an {@link AnomalyReport} by the first matching {@link DetectionRules.Rule}.
 * Pure and total: whatever the alert carries, it returns a report and never throws; an alert no
 * rule knows is an {@code unknown} anomaly.
 */
public final class AnomalyDetector {

  public static final String UNKNOWN_TYPE = "unknown";
  public static final String NO_RULE = "none";
  public static final String GLOBAL_SCOPE = "global";

  /** A number, optionally with thousands separators, then an optional unit such as ms, s, % or MiB. */
  private static final Pattern NUMBER = Pattern.compile(
      "\\s*([-+]?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?(?:[eE][-+]?\\d+)?|[-+]?\\.\\d+)\\s*([A-Za-z%µ/]{0,12})\\s*");

  private final DetectionRules rules;

  public AnomalyDetector(DetectionRules rules) {
    this.rules = Objects.requireNonNull(rules, "rules");
  }

  public AnomalyReport detect(Alert alert) {
    DetectionRules.Rule rule = rules.rules().stream()
        .filter(candidate -> candidate.matches(alert.alertName()))
        .findFirst()
        .orElse(null);
    String type = rule == null ? UNKNOWN_TYPE : rule.anomalyType();
    String service = firstLabel(alert, rules.serviceLabels(), Signature.UNKNOWN);
    String scope = firstLabel(alert, rules.scopeLabels(), GLOBAL_SCOPE);
    Signature signature = Signature.of(type, service, scope);
    Severity fallback = rule == null ? Severity.MEDIUM : rule.defaultSeverity();
    Severity severity = Severity.parse(alert.label(rules.severityLabel()), fallback);
    return new AnomalyReport(type, severity, signature.service(), signature.scope(), measurements(alert, rule),
        signature, rule == null ? NO_RULE : rule.anomalyType());
  }

  private static String firstLabel(Alert alert, List<String> names, String fallback) {
    for (String name : names) {
      String value = alert.label(name);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return fallback;
  }

  private static List<Measurement> measurements(Alert alert, DetectionRules.Rule rule) {
    String valueAnnotation = rule != null && rule.valueAnnotation() != null ? rule.valueAnnotation() : "value";
    String thresholdAnnotation =
        rule != null && rule.thresholdAnnotation() != null ? rule.thresholdAnnotation() : "threshold";
    Quantity value = parse(alert.annotation(valueAnnotation));
    if (value == null) {
      return List.of();
    }
    Quantity threshold = parse(alert.annotation(thresholdAnnotation));
    String unit = rule != null && !rule.unit().isEmpty() ? rule.unit() : value.unit();
    String metric = rule == null ? alert.alertName().toLowerCase(Locale.ROOT) : rule.metric();
    List<Measurement> result = new ArrayList<>();
    result.add(new Measurement(Signature.normalise(metric), value.number(),
        threshold == null ? null : threshold.number(), unit));
    return result;
  }

  /** A number with its unit, parsed leniently: {@code "1850ms"}, {@code "95 %"}, {@code "1,024"}. */
  record Quantity(double number, String unit) {}

  /** Parses text such as {@code 1850ms} or {@code 95%}; null when it is not a finite number. */
  static Quantity parse(String text) {
    if (text == null || text.length() > 64) {
      return null;
    }
    Matcher matcher = NUMBER.matcher(text);
    if (!matcher.matches()) {
      return null;
    }
    try {
      double number = Double.parseDouble(matcher.group(1).replace(",", ""));
      if (!Double.isFinite(number)) {
        return null;
      }
      return new Quantity(number, matcher.group(2));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
