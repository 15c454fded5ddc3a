package dev.reflex.testkit;

import dev.reflex.domain.detection.DetectionRules;
import dev.reflex.domain.model.Severity;
import java.util.List;
import java.util.regex.Pattern;

/** Detection rules like the playbook repository's {@code rules/detection.yml}. */
public final class Detection {

  private Detection() {}

  public static DetectionRules rules() {
    return new DetectionRules(List.of("service", "app", "job"), List.of("region", "namespace", "cluster"), "severity",
        List.of(
            new DetectionRules.Rule("high_latency", List.of("HighLatency", "HighP99Latency"),
                Pattern.compile("(?i).*latency.*"), Severity.HIGH, "p99_latency", "value", "threshold", "ms"),
            new DetectionRules.Rule("disk_full", List.of("DiskFull", "NodeFilesystemAlmostFull"), null,
                Severity.HIGH, "disk_usage", "value", "threshold", "%"),
            new DetectionRules.Rule("crash_loop", List.of("KubePodCrashLooping"), null, Severity.CRITICAL,
                "restarts", "value", null, null)));
  }
}
