package dev.reflex.adapters.llm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.adapters.llm.internal.Json;
import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.AnomalyReport;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.port.Consultant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the prompt of a consultation from the template {@value #RESOURCE}: a system part and a
 * user part, split at the {@code ### USER} line.
 *
 * <p>Everything that comes from an alert or a past incident is untrusted. It is anonymised,
 * written as JSON and placed inside {@code <<<ALERT DATA ... >>>} blocks. Inside a block a run of
 * {@code <} or {@code >} is escaped ({@code <<} becomes {@code <\u003c}), so data can neither
 * close its block nor open a new one; invisible format characters (bidirectional overrides,
 * zero-width spaces) are escaped too. Values are cut to bounded lengths.
 */
public final class PromptTemplate {

  public static final String RESOURCE = "dev/reflex/adapters/llm/prompt.txt";
  public static final String TOOL_NAME = "draft_remediation";
  public static final int MAX_SIMILAR = 3;
  public static final int MAX_VALUE_LENGTH = 2000;
  public static final int MAX_ENTRIES = 60;

  private static final String SYSTEM_MARK = "### SYSTEM\n";
  private static final String USER_MARK = "### USER\n";
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([a-z_]+)}");
  private static final Pattern FORMAT_CHARACTERS = Pattern.compile("[\\p{Cf}\\p{Co}\\u2028\\u2029]");

  /** A rendered prompt. */
  public record Prompt(String system, String user) {
    public Prompt {
      Objects.requireNonNull(system, "system");
      Objects.requireNonNull(user, "user");
    }
  }

  private final String system;
  private final String user;

  public PromptTemplate() {
    this(Json.resourceText(RESOURCE));
  }

  public PromptTemplate(String template) {
    String text = template.replace("\r\n", "\n");
    int userAt = text.indexOf(USER_MARK);
    if (!text.startsWith(SYSTEM_MARK) || userAt < 0) {
      throw new IllegalArgumentException("a prompt template starts with '### SYSTEM' and has a '### USER' line");
    }
    this.system = text.substring(SYSTEM_MARK.length(), userAt).strip();
    this.user = text.substring(userAt + USER_MARK.length()).strip();
  }

  /** The prompt for {@code request}, every untrusted value anonymised by {@code anonymizer}. */
  public Prompt render(Consultant.Request request, Anonymizer anonymizer) {
    Objects.requireNonNull(request, "request");
    Map<String, String> values = new HashMap<>();
    values.put("tool_name", TOOL_NAME);
    values.put("incident", block(incident(request.incident(), request.anomaly(), anonymizer)));
    values.put("measurements", block(measurements(request.anomaly(), anonymizer)));
    Alert alert = request.incident() == null ? null : request.incident().alert();
    values.put("alert", block(alertData(alert, anonymizer)));
    List<Incident> similar = request.similarIncidents() == null ? List.of() : request.similarIncidents();
    List<Incident> top = similar.stream().filter(Objects::nonNull).limit(MAX_SIMILAR).toList();
    values.put("similar_count", String.valueOf(top.size()));
    StringBuilder past = new StringBuilder();
    for (int i = 0; i < top.size(); i++) {
      past.append("<<<ALERT DATA past incident ").append(i + 1).append('\n')
          .append(block(pastIncident(top.get(i), anonymizer))).append("\n>>>\n");
    }
    values.put("similar", top.isEmpty() ? "none: this is the first incident of its kind." : past.toString().strip());
    return new Prompt(fill(system, values), fill(user, values));
  }

  private static String fill(String template, Map<String, String> values) {
    Matcher m = VARIABLE.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("prompt template uses an unknown variable: " + m.group());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  // ---------------------------------------------------------------- data blocks

  private static ObjectNode incident(Incident incident, AnomalyReport anomaly, Anonymizer a) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    if (incident != null) {
      node.put("alertname", text(incident.alert().alertName(), a));
      node.put("source", text(incident.alert().source(), a));
      node.put("status", incident.alert().status().name().toLowerCase(java.util.Locale.ROOT));
      node.put("starts_at", incident.alert().startsAt().toString());
    }
    if (anomaly != null) {
      node.put("anomaly_type", text(anomaly.anomalyType(), a));
      node.put("severity", anomaly.severity().name().toLowerCase(java.util.Locale.ROOT));
      node.put("service", text(anomaly.service(), a));
      node.put("scope", text(anomaly.scope(), a));
      node.put("signature", text(anomaly.signature().toString(), a));
      node.put("detection_rule", text(anomaly.detectionRule(), a));
    }
    return node;
  }

  private static ArrayNode measurements(AnomalyReport anomaly, Anonymizer a) {
    ArrayNode list = Json.MAPPER.createArrayNode();
    if (anomaly == null) {
      return list;
    }
    for (AnomalyReport.Measurement m : anomaly.measurements().stream().limit(MAX_ENTRIES).toList()) {
      ObjectNode node = list.addObject();
      node.put("metric", text(m.metric(), a));
      node.put("value", m.value());
      if (m.threshold() == null) {
        node.putNull("threshold");
      } else {
        node.put("threshold", m.threshold());
        double ratio = m.ratio();
        if (Double.isFinite(ratio)) {
          node.put("times_threshold", Math.round(ratio * 100) / 100.0);
        }
      }
      node.put("unit", text(m.unit(), a));
    }
    return list;
  }

  private static ObjectNode alertData(Alert alert, Anonymizer a) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    if (alert == null) {
      return node;
    }
    node.set("labels", map(alert.labels(), a));
    node.set("annotations", map(alert.annotations(), a));
    return node;
  }

  private static ObjectNode pastIncident(Incident incident, Anonymizer a) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("alertname", text(incident.alert().alertName(), a));
    node.put("signature", incident.signature() == null ? "" : text(incident.signature().toString(), a));
    node.put("summary", text(incident.alert().annotation("summary"), a));
    ObjectNode fix = node.putObject("fixed_by");
    if (incident.playbookId() != null) {
      fix.put("playbook", text(incident.playbookId() + "@" + incident.playbookVersion(), a));
    }
    Remediation remediation = incident.remediation();
    if (remediation != null) {
      fix.put("drafted_by", text(remediation.consultant(), a));
      fix.put("remediation", text(remediation.playbookName(), a));
      ArrayNode steps = fix.putArray("steps");
      for (PlaybookStep step : remediation.steps()) {
        steps.add(text(step.name() + " (" + step.action().module() + ")", a));
      }
    }
    ObjectNode outcome = node.putObject("outcome");
    outcome.put("status", incident.status().name().toLowerCase(java.util.Locale.ROOT));
    ExecutionReport execution = incident.execution();
    if (execution != null) {
      outcome.put("execution", execution.mode().name().toLowerCase(java.util.Locale.ROOT));
      outcome.put("success", execution.success());
      outcome.put("summary", text(execution.summary(), a));
    }
    outcome.put("alert_resolved", incident.alertResolvedAt() != null);
    return node;
  }

  private static ObjectNode map(Map<String, String> values, Anonymizer a) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    new TreeMap<>(values).entrySet().stream().limit(MAX_ENTRIES)
        .forEach(entry -> node.put(text(entry.getKey(), a), text(entry.getValue(), a)));
    return node;
  }

  private static String text(String value, Anonymizer a) {
    if (value == null) {
      return "";
    }
    String bounded = value.length() > MAX_VALUE_LENGTH ? value.substring(0, MAX_VALUE_LENGTH) + "…(cut)" : value;
    return a.anonymize(bounded);
  }

  /** Untrusted data as one line of JSON that cannot contain a block delimiter. */
  static String block(Object data) {
    String json = Json.write(data);
    json = json.replaceAll("(?<=<)<", "\\\\u003c").replaceAll("(?<=>)>", "\\\\u003e");
    Matcher m = FORMAT_CHARACTERS.matcher(json);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(String.format("\\u%04x", (int) m.group().charAt(0))));
    }
    m.appendTail(out);
    return out.toString();
  }
}
