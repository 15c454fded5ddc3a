package dev.reflex.domain;

import dev.reflex.domain.detection.DetectionRules;
import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.AlertStatus;
import dev.reflex.domain.model.Parameter;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.Severity;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.model.StepAction;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Small fixtures for the domain's unit tests (the test kit depends on this module, so it cannot be used here). */
public final class TestData {

  public static final Instant T0 = Instant.parse("2025-03-14T09:20:00Z");

  private TestData() {}

  public static DetectionRules rules() {
    return new DetectionRules(List.of("service", "app"), List.of("region", "namespace"), "severity", List.of(
        new DetectionRules.Rule("high_latency", List.of("HighLatency"), Pattern.compile("(?i).*latency.*"),
            Severity.HIGH, "p99_latency", "value", "threshold", "ms"),
        new DetectionRules.Rule("disk_full", List.of("DiskFull"), null, Severity.MEDIUM, "disk_usage", "value",
            "threshold", null)));
  }

  public static Alert alert(String name, Map<String, String> labels, Map<String, String> annotations) {
    Map<String, String> all = new HashMap<>(labels);
    all.put("alertname", name);
    return new Alert("alertmanager", "fp-" + name, AlertStatus.FIRING, all, annotations, T0, null, "");
  }

  public static Alert highLatency() {
    return alert("HighLatency", Map.of("service", "payment-api", "region", "india", "severity", "critical"),
        Map.of("value", "1850ms", "threshold", "500ms"));
  }

  public static PlaybookStep restart() {
    return new PlaybookStep(StepAction.of("Rolling restart", "command",
        Map.of("argv", List.of("kubectl", "rollout", "restart", "deployment/{{ service }}"))), RiskClass.SAFE_WRITE, null);
  }

  public static PlaybookStep inspect() {
    return new PlaybookStep(StepAction.of("Inspect pods", "command",
        Map.of("argv", List.of("kubectl", "get", "pods"))), RiskClass.READ_ONLY, null);
  }

  public static Playbook playbook(String id, PlaybookSource source, PlaybookStatus status, List<String> types,
      Signature signature, double confidence, String evidence, PlaybookStep... steps) {
    return new Playbook(id, "1.0.0", id, source, status, types,
        signature == null ? List.of() : List.of(signature.toString()), signature, "", "",
        List.of(new Parameter("service", "", "service", "^[a-z0-9-]{1,63}$", null, true)),
        steps.length == 0 ? List.of(inspect(), restart()) : List.of(steps), null, PlaybookStats.initial(confidence),
        List.of(), evidence, null, null, 0);
  }
}
