package dev.reflex.adapters.llm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.adapters.llm.internal.Json;
import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.AlertStatus;
import dev.reflex.domain.model.AnomalyReport;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.Severity;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.model.StepAction;
import dev.reflex.domain.port.Consultant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Requests from a case folder's {@code incident.json}. */
final class TestIncidents {

  private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};
  static final Instant NOW = Instant.parse("2026-03-01T10:01:00Z");

  private TestIncidents() {}

  static Consultant.Request load(Path file) {
    try {
      return request(Json.parse(Files.readString(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Consultant.Request request(JsonNode json) {
    JsonNode a = json.path("alert");
    Alert alert = new Alert(a.path("source").asText(), a.path("fingerprint").asText(),
        AlertStatus.valueOf(a.path("status").asText()), Json.MAPPER.convertValue(a.path("labels"), STRINGS),
        Json.MAPPER.convertValue(a.path("annotations"), STRINGS), Instant.parse(a.path("startsAt").asText()), null,
        "");
    JsonNode an = json.path("anomaly");
    List<AnomalyReport.Measurement> measurements = new ArrayList<>();
    for (JsonNode m : an.path("measurements")) {
      measurements.add(new AnomalyReport.Measurement(m.path("metric").asText(), m.path("value").asDouble(),
          m.hasNonNull("threshold") ? m.path("threshold").asDouble() : null, m.path("unit").asText("")));
    }
    AnomalyReport anomaly = new AnomalyReport(an.path("anomalyType").asText(),
        Severity.valueOf(an.path("severity").asText()), an.path("service").asText(), an.path("scope").asText(),
        measurements, Signature.of(an.path("anomalyType").asText(), an.path("service").asText(),
            an.path("scope").asText()), an.path("detectionRule").asText());
    Incident incident = Incident.open("inc-current", alert, NOW).toBuilder().anomaly(anomaly).build();
    List<Incident> similar = new ArrayList<>();
    int n = 0;
    for (JsonNode s : json.path("similar")) {
      similar.add(past("inc-past-" + (++n), s));
    }
    return new Consultant.Request(incident, anomaly, similar);
  }

  private static Incident past(String id, JsonNode s) {
    Alert alert = new Alert("alertmanager", "fp-" + id, AlertStatus.RESOLVED,
        Map.of("alertname", s.path("alertname").asText(), "service", s.path("service").asText()),
        Map.of("summary", s.path("summary").asText()), Instant.parse("2026-02-01T10:00:00Z"),
        Instant.parse("2026-02-01T10:20:00Z"), "");
    Signature signature = Signature.of(s.path("anomalyType").asText(), s.path("service").asText(),
        s.path("scope").asText());
    AnomalyReport anomaly = new AnomalyReport(s.path("anomalyType").asText(), Severity.HIGH,
        s.path("service").asText(), s.path("scope").asText(), List.of(), signature, "");
    ExecutionReport execution = new ExecutionReport("ansible", ExecutionReport.Mode.APPLY,
        s.path("playbookId").asText(), s.path("playbookVersion").asText(), null,
        s.path("executionSuccess").asBoolean(), List.of(), List.of(), Instant.parse("2026-02-01T10:05:00Z"),
        Instant.parse("2026-02-01T10:06:00Z"), s.path("executionSummary").asText());
    return Incident.open(id, alert, Instant.parse("2026-02-01T10:00:30Z")).toBuilder()
        .anomaly(anomaly)
        .playbook(s.path("playbookId").asText(), s.path("playbookVersion").asText())
        .execution(execution)
        .status(IncidentStatus.valueOf(s.path("status").asText()))
        .alertResolvedAt(s.path("status").asText().equals("RESOLVED") ? Instant.parse("2026-02-01T10:20:00Z") : null)
        .build();
  }

  /** A stand-in for the offline catalog consultant. */
  static final class Offline implements Consultant {
    int calls;

    @Override
    public String name() {
      return "offline_catalog";
    }

    @Override
    public Remediation consult(Request request) {
      calls++;
      return new Remediation("offline_catalog", "offline diagnosis", "", "restart-service", List.of(),
          List.of(new PlaybookStep(StepAction.of("Restart", "ansible.builtin.systemd",
              Map.of("name", "{{ service }}", "state", "restarted")), RiskClass.SAFE_WRITE, null)),
          null, "");
    }
  }
}
