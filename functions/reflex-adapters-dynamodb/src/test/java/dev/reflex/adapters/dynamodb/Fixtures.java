package dev.reflex.adapters.dynamodb;

import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.AlertStatus;
import dev.reflex.domain.model.AnomalyReport;
import dev.reflex.domain.model.Approval;
import dev.reflex.domain.model.Decision;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.ExecutionReport.StepResult;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.MatchResult;
import dev.reflex.domain.model.Parameter;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.Severity;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.model.StepAction;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test data built with the domain constructors. */
final class Fixtures {

  static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456789Z");
  static final Signature SIGNATURE = Signature.of("high_latency", "payment-api", "india");

  private Fixtures() {}

  static Alert alert(String fingerprint, Instant startsAt) {
    return new Alert("alertmanager", fingerprint, AlertStatus.FIRING,
        Map.of("alertname", "HighLatency", "service", "payment-api", "region", "india", "severity", "critical"),
        Map.of("summary", "p99 latency above 2s; rm -rf / \"quoted\" ünïcode"),
        startsAt, null, "http://prometheus:9090/graph?g0.expr=latency");
  }

  static Incident openIncident(String id, String fingerprint, Instant at) {
    return Incident.open(id, alert(fingerprint, at), at);
  }

  static StepAction restart() {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("name", "{{ service }}");
    args.put("state", "restarted");
    args.put("timeout", 30);
    args.put("big", 12_345_678_901L);
    args.put("ratio", 0.75);
    args.put("enabled", true);
    args.put("argv", List.of("systemctl", "restart", "payment-api"));
    args.put("env", Map.of("LANG", "C", "RETRIES", 3));
    return StepAction.of("Restart service", "ansible.builtin.systemd", args);
  }

  static StepAction check() {
    return StepAction.of("Check health", "ansible.builtin.uri", Map.of("url", "http://localhost/health"));
  }

  static List<PlaybookStep> steps() {
    return List.of(
        new PlaybookStep(check(), RiskClass.READ_ONLY, null),
        new PlaybookStep(restart(), RiskClass.SAFE_WRITE,
            StepAction.of("Start service", "ansible.builtin.systemd", Map.of("name", "{{ service }}"))));
  }

  static Parameter serviceParameter() {
    return new Parameter("service", "the service to restart", "service", "[a-z0-9-]{1,63}", "payment-api", true);
  }

  /** An incident with every field set, nested records included. */
  static Incident fullIncident(String id) {
    Alert alert = new Alert("cloudwatch", "fp-full", AlertStatus.RESOLVED,
        Map.of("alertname", "HighLatency", "service", "payment-api"), Map.of("description", "slow"),
        T0, T0.plusSeconds(600), "");
    AnomalyReport anomaly = new AnomalyReport("high_latency", Severity.CRITICAL, "payment-api", "india",
        List.of(new AnomalyReport.Measurement("p99_latency_ms", 2350.5, 2000.0, "ms"),
            new AnomalyReport.Measurement("error_rate", 0.1, null, ""),
            new AnomalyReport.Measurement("nan_metric", Double.NaN, 1.0, "x")),
        SIGNATURE, "latency-above-threshold");
    MatchResult match = new MatchResult(true, "restart-payment-api", "1.2.3", PlaybookSource.LEARNED, 0.8123,
        MatchResult.MatchedBy.SIGNATURE, 0.7, 4);
    Remediation remediation = new Remediation("offline_catalog", "Latency from a stuck worker pool",
        "thread starvation", "restart-payment-api", List.of(serviceParameter()), steps(), check(), "5m");
    Decision decision = new Decision(true, true, RiskClass.SAFE_WRITE, List.of("restart is safe_write", "learned"));
    ExecutionReport execution = new ExecutionReport("ansible", ExecutionReport.Mode.APPLY, "restart-payment-api",
        "1.2.3", "0123456789abcdef0123456789abcdef01234567", true,
        List.of(new StepResult("Check health", RiskClass.READ_ONLY, StepResult.Status.SUCCEEDED, "200 OK"),
            new StepResult("Restart service", RiskClass.SAFE_WRITE, StepResult.Status.SUCCEEDED, "")),
        List.of("Restart service"), T0.plusSeconds(120), T0.plusSeconds(180), "2 steps succeeded");
    List<Incident.TimelineEntry> timeline = List.of(
        new Incident.TimelineEntry(T0, "ingest", "Incident opened"),
        new Incident.TimelineEntry(T0.plusNanos(1), "detect", "high_latency|payment-api|india"),
        new Incident.TimelineEntry(T0.plusSeconds(180), "execute", "done"));
    return new Incident(id, alert.occurrenceKey(), alert, IncidentStatus.RESOLVED, T0, T0.plusSeconds(200),
        anomaly, match, remediation, "restart-payment-api", "1.2.3", decision, "approval-1", execution,
        T0.plusSeconds(600), "arn:aws:states:us-east-1:123456789012:execution:reflex:" + id, timeline, 0);
  }

  static Playbook playbook(String id, List<String> anomalyTypes, Signature signature) {
    return new Playbook(id, "1.0.0", "Restart " + id, signature == null ? PlaybookSource.CATALOG : PlaybookSource.LEARNED,
        PlaybookStatus.ACTIVE, anomalyTypes, List.of("high_latency|*|*"), signature, "Restarts the service",
        "Use when latency is high and the pool is stuck", List.of(serviceParameter()), steps(), check(),
        new PlaybookStats(0.75, 3, 1, 0, T0), List.of("inc-1", "inc-2"), "HighLatency payment-api", "main",
        "0123456789abcdef0123456789abcdef01234567", 0);
  }

  static Approval pendingApproval(String id, String incidentId, Instant createdAt) {
    return Approval.pending(id, incidentId, "SECRET-TASK-TOKEN-" + id, createdAt, createdAt.plus(Duration.ofHours(1)),
        List.of("alice@example.com", "bob@example.com", "carol@example.com"), 2, "Plan: restart payment-api\n");
  }
}
