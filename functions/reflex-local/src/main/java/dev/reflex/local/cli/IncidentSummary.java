package dev.reflex.local.cli;

import static dev.reflex.local.cli.ReflexCli.clean;
import static dev.reflex.local.cli.ReflexCli.confidence;
import static dev.reflex.local.cli.ReflexCli.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code ./reflex show ID}: one incident's detail view as text for a terminal. */
final class IncidentSummary {

  private static final int LABEL = 12;

  private IncidentSummary() {}

  static String render(JsonNode incident) {
    StringBuilder out = new StringBuilder();
    out.append("Incident ")
        .append(text(incident, "id", "-"))
        .append("  ")
        .append(text(incident, "status", "-"))
        .append('\n');
    field(out, "signature", text(incident, "signature", "-"));
    JsonNode alert = incident.path("alert");
    String alertName = text(incident, "alertname", labelOf(alert, "alertname"));
    List<String> alertFacts = new ArrayList<>();
    addIf(alertFacts, text(alert, "status", ""));
    addIf(alertFacts, prefixed("since ", text(alert, "startsAt", "")));
    addIf(alertFacts, prefixed("resolved ", text(incident, "alertResolvedAt", "")));
    addIf(alertFacts, prefixed("fingerprint ", text(alert, "fingerprint", "")));
    field(
        out,
        "alert",
        alertName + (alertFacts.isEmpty() ? "" : " (" + String.join(", ", alertFacts) + ")"));
    String labels = pairs(alert.path("labels"));
    if (!labels.isEmpty()) {
      field(out, "labels", labels);
    }
    field(
        out,
        "created",
        text(incident, "createdAt", "-") + "   updated " + text(incident, "updatedAt", "-"));

    anomaly(out, incident.path("anomaly"));
    match(out, incident.path("match"));
    consult(out, incident.path("consult"));
    decision(out, incident.path("decision"));
    approval(out, incident.path("approval"));
    execution(out, incident.path("execution"));
    timeline(out, incident.path("timeline"));
    workflow(out, incident.path("workflow"));
    return out.toString();
  }

  private static void anomaly(StringBuilder out, JsonNode anomaly) {
    if (!anomaly.isObject()) {
      return;
    }
    List<String> facts = new ArrayList<>();
    addIf(facts, text(anomaly, "anomalyType", ""));
    addIf(facts, prefixed("severity ", text(anomaly, "severity", "")));
    addIf(facts, prefixed("service ", text(anomaly, "service", "")));
    addIf(facts, prefixed("scope ", text(anomaly, "scope", "")));
    addIf(facts, prefixed("rule ", text(anomaly, "detectionRule", "")));
    section(out, "Anomaly", String.join(", ", facts));
    for (JsonNode m : anomaly.path("measurements")) {
      String threshold = text(m, "threshold", "");
      String unit = text(m, "unit", "");
      out.append("  ")
          .append(text(m, "metric", "?"))
          .append(" = ")
          .append(text(m, "value", "?"))
          .append(unit.isEmpty() ? "" : " " + unit)
          .append(threshold.isEmpty() ? "" : " (threshold " + threshold + ")")
          .append('\n');
    }
  }

  private static void match(StringBuilder out, JsonNode match) {
    if (!match.isObject()) {
      section(out, "Match", "not matched yet");
      return;
    }
    String how =
        "confidence "
            + confidence(match.get("confidence"))
            + " (threshold "
            + confidence(match.get("threshold"))
            + ")"
            + prefixed(", by ", text(match, "matchedBy", ""))
            + prefixed(", candidates ", text(match, "candidatesConsidered", ""));
    if (match.path("matched").asBoolean(false)) {
      section(
          out,
          "Match",
          "playbook "
              + text(match, "playbookId", "-")
              + prefixed(" version ", text(match, "version", ""))
              + prefixed(" (", text(match, "source", ""))
              + (text(match, "source", "").isEmpty() ? "" : ")")
              + ", "
              + how);
    } else {
      section(out, "Match", "no playbook matched, " + how);
    }
  }

  private static void consult(StringBuilder out, JsonNode consult) {
    if (!consult.isObject()) {
      section(out, "Consult", "not consulted");
      return;
    }
    section(
        out,
        "Consult",
        text(consult, "consultant", "consultant")
            + prefixed(" proposed ", text(consult, "playbookName", ""))
            + prefixed(", steps ", text(consult, "steps", ""))
            + prefixed(", recovery ", text(consult, "estimatedRecoveryTime", "")));
    String diagnosis = text(consult, "diagnosis", "");
    if (!diagnosis.isEmpty()) {
      field(out, "diagnosis", diagnosis);
    }
    String rootCause = text(consult, "rootCause", "");
    if (!rootCause.isEmpty()) {
      field(out, "root cause", rootCause);
    }
  }

  private static void decision(StringBuilder out, JsonNode decision) {
    if (!decision.isObject()) {
      section(out, "Decision", "not decided yet");
      return;
    }
    boolean allowed = decision.path("allowed").asBoolean(false);
    boolean approval = decision.path("requiresApproval").asBoolean(false);
    section(
        out,
        "Decision",
        (allowed ? "allowed" : "refused")
            + (allowed ? (approval ? ", needs approval" : ", runs without approval") : "")
            + prefixed(", risk ", text(decision, "riskLevel", "")));
    for (JsonNode reason : decision.path("reasoning")) {
      out.append("  - ")
          .append(clean(reason.isValueNode() ? reason.asText() : reason.toString()))
          .append('\n');
    }
  }

  private static void approval(StringBuilder out, JsonNode approval) {
    if (!approval.isObject()) {
      section(out, "Approval", "none requested");
      return;
    }
    section(
        out,
        "Approval",
        text(approval, "id", "-")
            + " "
            + text(approval, "status", "-")
            + prefixed(", expires ", text(approval, "expiresAt", "")));
    String decidedBy = text(approval, "decidedBy", "");
    if (!decidedBy.isEmpty()) {
      field(
          out,
          "decided by",
          decidedBy
              + prefixed(" at ", text(approval, "decidedAt", ""))
              + prefixed(": ", text(approval, "reason", "")));
    }
  }

  private static void execution(StringBuilder out, JsonNode execution) {
    if (!execution.isObject()) {
      section(out, "Execution", "not run");
      return;
    }
    boolean success = execution.path("success").asBoolean(false);
    String outcome = switch (text(execution, "outcome", success ? "SUCCEEDED" : "FAILED")) {
      case "RUNNING" -> " running";
      case "SUCCEEDED" -> " succeeded";
      case "PARTIALLY_REMEDIATED" -> " stopped part way (partially remediated)";
      case "NOT_RUN" -> " refused before anything ran";
      default -> " failed";
    };
    section(
        out,
        "Execution",
        text(execution, "executor", "executor")
            + prefixed(" (", text(execution, "mode", ""))
            + (text(execution, "mode", "").isEmpty() ? "" : ")")
            + outcome
            + prefixed(": ", text(execution, "summary", "")));
    int n = 1;
    for (JsonNode step : execution.path("steps")) {
      out.append(String.format("  %2d. ", n++))
          .append(text(step, "name", "?"))
          .append("  ")
          .append(text(step, "risk", "-"))
          .append("  ")
          .append(text(step, "status", "-"))
          .append(prefixed("  ", text(step, "detail", "")))
          .append('\n');
    }
    List<String> notSimulated = new ArrayList<>();
    for (JsonNode step : execution.path("notSimulated")) {
      notSimulated.add(clean(step.asText()));
    }
    if (!notSimulated.isEmpty()) {
      field(out, "not simulated", String.join(", ", notSimulated));
    }
  }

  private static void timeline(StringBuilder out, JsonNode timeline) {
    if (!timeline.isArray() || timeline.isEmpty()) {
      return;
    }
    out.append("\nTimeline\n");
    for (JsonNode entry : timeline) {
      out.append("  ")
          .append(text(entry, "at", "-"))
          .append("  ")
          .append(text(entry, "stage", "-"))
          .append(prefixed("  ", text(entry, "message", "")))
          .append('\n');
    }
  }

  private static void workflow(StringBuilder out, JsonNode workflow) {
    if (!workflow.isObject()) {
      return;
    }
    section(out, "Workflow", text(workflow, "status", "-"));
    for (String line : historyLines(workflow.path("history"))) {
      out.append("  ").append(line).append('\n');
    }
  }

  /**
   * One line per state visited, with the types of the events that happened in it ({@code Detect
   * anomaly: TaskStateEntered TaskScheduled ... TaskStateExited}); execution-level events get a
   * line of their own.
   */
  static List<String> historyLines(JsonNode history) {
    List<String> lines = new ArrayList<>();
    String state = null;
    StringBuilder line = null;
    for (JsonNode event : history) {
      String type = text(event, "type", "?");
      String eventState = text(event, "state", "");
      boolean entered = type.endsWith("StateEntered") && !eventState.isEmpty();
      if (entered || line == null || (state == null && !type.startsWith("Task"))) {
        if (line != null) {
          lines.add(line.toString());
        }
        state = entered ? eventState : null;
        line = new StringBuilder(entered ? eventState + ": " + type : type);
      } else {
        line.append(' ').append(type);
      }
      if (type.endsWith("StateExited")) {
        lines.add(line.toString());
        line = null;
        state = null;
      }
    }
    if (line != null) {
      lines.add(line.toString());
    }
    return lines;
  }

  // ---- formatting ----------------------------------------------------------------------------

  private static void section(StringBuilder out, String name, String summary) {
    out.append('\n').append(name);
    if (!summary.isEmpty()) {
      out.append(" ".repeat(Math.max(1, LABEL - name.length()))).append(summary);
    }
    out.append('\n');
  }

  private static void field(StringBuilder out, String name, String value) {
    out.append("  ")
        .append(name)
        .append(" ".repeat(Math.max(1, LABEL - name.length())))
        .append(value)
        .append('\n');
  }

  private static String labelOf(JsonNode alert, String name) {
    return text(alert.path("labels"), name, "-");
  }

  private static String pairs(JsonNode object) {
    List<String> pairs = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : ReflexCli.sorted(object).entrySet()) {
      pairs.add(clean(e.getKey()) + "=" + clean(e.getValue().asText()));
    }
    return String.join(" ", pairs);
  }

  private static String prefixed(String prefix, String value) {
    return value == null || value.isEmpty() ? "" : prefix + value;
  }

  private static void addIf(List<String> list, String value) {
    if (value != null && !value.isEmpty()) {
      list.add(value);
    }
  }
}
