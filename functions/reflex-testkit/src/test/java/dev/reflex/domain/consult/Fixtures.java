package dev.reflex.domain.consult;

import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.AnomalyReport;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.MatchResult;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.model.Severity;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.Consultant;
import dev.reflex.testkit.Alerts;
import dev.reflex.testkit.Playbooks;
import java.time.Instant;
import java.util.List;

/** Incidents at each stage, built directly (no use case needed to test a consultant decorator). */
final class Fixtures {

  static final Instant T0 = Instant.parse("2025-03-14T09:26:53Z");

  private Fixtures() {}

  static Alert alert(String name, String service, String region, String summary) {
    return Alerts.builder(name).label("service", service).label("region", region)
        .annotation("summary", summary).build();
  }

  static AnomalyReport anomaly(String type, String service, String scope) {
    return new AnomalyReport(type, Severity.HIGH, service, scope, List.of(), Signature.of(type, service, scope),
        "test-rule");
  }

  /** A detected incident of this anomaly type, created at {@code at}. */
  static Incident detected(String id, Alert alert, String type, Instant at) {
    return Incident.open(id, alert, at).toBuilder()
        .anomaly(anomaly(type, alert.label("service"), alert.label("region")))
        .status(IncidentStatus.DETECTED)
        .build();
  }

  /** A past incident that ran a playbook and ended with {@code status}. */
  static Incident closed(String id, Alert alert, String type, Instant at, IncidentStatus status) {
    return detected(id, alert, type, at).toBuilder()
        .playbook("pb-" + type, "1.0.0")
        .execution(new ExecutionReport("dry-run", ExecutionReport.Mode.DRY_RUN, "pb-" + type, "1.0.0", null,
            status == IncidentStatus.RESOLVED, List.of(), List.of(), at, at, "done"))
        .status(status)
        .build();
  }

  static Incident matched(String id, Alert alert, String type, Instant at, PlaybookSource source) {
    return detected(id, alert, type, at).toBuilder()
        .match(new MatchResult(true, "pb-1", "1.0.0", source, 0.9, MatchResult.MatchedBy.SIGNATURE, 0.7, 1))
        .status(IncidentStatus.MATCHED)
        .build();
  }

  static Consultant.Request request(Incident incident) {
    return new Consultant.Request(incident, incident.anomaly(), List.of());
  }

  static Remediation remediation(String consultant) {
    return new Remediation(consultant, "pool exhausted", "too few connections", "Restart the pods",
        List.of(Playbooks.serviceParameter()), List.of(Playbooks.rollingRestart()), null, "5m");
  }
}
