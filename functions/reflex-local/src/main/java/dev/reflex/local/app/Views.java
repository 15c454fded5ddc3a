package dev.reflex.local.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.domain.model.Approval;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.Remediation;

/** The JSON shapes of the HTTP API. The task token of an approval is never part of any view. */
final class Views {

  private Views() {}

  static ObjectNode incidentSummary(ObjectMapper json, Incident incident) {
    ObjectNode view = json.createObjectNode();
    view.put("id", incident.id());
    view.put("status", incident.status().name());
    view.put("signature", incident.signature() == null ? null : incident.signature().toString());
    view.put("alertname", incident.alert().alertName());
    view.put("createdAt", incident.createdAt().toString());
    view.put("updatedAt", incident.updatedAt().toString());
    view.put("playbookId", incident.playbookId());
    view.put("playbookVersion", incident.playbookVersion());
    return view;
  }

  static ObjectNode incidentDetail(ObjectMapper json, Incident incident) {
    ObjectNode view = incidentSummary(json, incident);
    ObjectNode alert = view.putObject("alert");
    alert.put("source", incident.alert().source());
    alert.put("fingerprint", incident.alert().fingerprint());
    alert.put("status", incident.alert().status().name());
    alert.put("startsAt", incident.alert().startsAt().toString());
    alert.set("labels", json.valueToTree(incident.alert().labels()));
    alert.set("annotations", json.valueToTree(incident.alert().annotations()));
    view.put("alertResolvedAt", incident.alertResolvedAt() == null ? null : incident.alertResolvedAt().toString());
    view.set("anomaly", json.valueToTree(incident.anomaly()));
    view.set("match", json.valueToTree(incident.match()));
    Remediation remediation = incident.remediation();
    if (remediation == null) {
      view.putNull("consult");
    } else {
      ObjectNode consult = view.putObject("consult");
      consult.put("consultant", remediation.consultant());
      consult.put("diagnosis", remediation.diagnosis());
      consult.put("rootCause", remediation.rootCause());
      consult.put("playbookName", remediation.playbookName());
      consult.put("steps", remediation.steps().size());
      consult.put("estimatedRecoveryTime", remediation.estimatedRecoveryTime());
    }
    view.set("decision", json.valueToTree(incident.decision()));
    ExecutionReport execution = incident.execution();
    view.set("execution", json.valueToTree(execution));
    ArrayNode timeline = view.putArray("timeline");
    for (Incident.TimelineEntry entry : incident.timeline()) {
      timeline.addObject().put("at", entry.at().toString()).put("stage", entry.stage()).put("message", entry.message());
    }
    return view;
  }

  static ObjectNode approvalState(ObjectMapper json, Approval approval) {
    ObjectNode view = json.createObjectNode();
    view.put("id", approval.id());
    view.put("status", approval.status().name());
    view.put("createdAt", approval.createdAt().toString());
    view.put("expiresAt", approval.expiresAt().toString());
    view.put("decidedBy", approval.decidedBy());
    view.put("decidedAt", approval.decidedAt() == null ? null : approval.decidedAt().toString());
    view.put("reason", approval.reason());
    return view;
  }

  static ObjectNode playbookSummary(ObjectMapper json, Playbook playbook) {
    ObjectNode view = json.createObjectNode();
    view.put("id", playbook.id());
    view.put("version", playbook.version());
    view.put("title", playbook.title());
    view.put("source", playbook.source().wireName());
    view.put("status", playbook.status().name());
    view.put("signature", playbook.signature() == null ? null : playbook.signature().toString());
    view.set("anomalyTypes", json.valueToTree(playbook.anomalyTypes()));
    view.put("confidence", playbook.stats().confidence());
    view.put("successCount", playbook.stats().successCount());
    view.put("failureCount", playbook.stats().failureCount());
    view.put("branch", playbook.branch());
    view.put("commitSha", playbook.commitSha());
    return view;
  }
}
