package dev.reflex.adapters.files;

import dev.reflex.adapters.files.internal.Jinja;
import dev.reflex.adapters.files.internal.YamlNode;
import dev.reflex.adapters.files.internal.YamlReader;
import dev.reflex.domain.model.AnomalyReport;
import dev.reflex.domain.model.Parameter;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.StepAction;
import dev.reflex.domain.port.Consultant;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The deterministic consultant of the embedded default: one remediation per anomaly type, from
 * the table {@value #RESOURCE} on the classpath. It is not a language model and says so in its
 * name. Prose placeholders {@code {service}} and {@code {scope}} are filled with the normalised
 * signature parts; step arguments keep their Jinja references, rendered later by Ansible from
 * validated parameters. The alert's summary is quoted as data, never interpreted.
 */
public final class OfflineCatalogConsultant implements Consultant {

  public static final String NAME = "offline_catalog";
  public static final String RESOURCE = "dev/reflex/knowledge/offline-remediations.yml";
  public static final String UNKNOWN = "unknown";
  public static final int SUMMARY_LIMIT = 300;

  private static final Set<String> ENTRY_KEYS = Set.of("diagnosis", "root_cause", "playbook_name", "parameters",
      "steps", "verification", "estimated_recovery_time");
  private static final Set<String> PARAMETER_KEYS =
      Set.of("name", "description", "from_label", "pattern", "default", "required");
  private static final Set<String> STEP_KEYS = Set.of("name", "module", "args", "risk_hint", "rollback",
      "verification");
  private static final Set<String> ACTION_KEYS = Set.of("name", "module", "args");

  private record Entry(String diagnosis, String rootCause, String playbookName, List<Parameter> parameters,
      List<PlaybookStep> steps, StepAction verification, String estimatedRecoveryTime) {}

  private final Map<String, Entry> entries;

  /** Loads the table shipped on the classpath. */
  public OfflineCatalogConsultant() {
    this(readResource(), RESOURCE);
  }

  /**
   * @param origin the name used in error messages
   * @throws CatalogException with {@code origin:line} when the table is malformed or has no
   *     {@value #UNKNOWN} entry
   */
  public OfflineCatalogConsultant(String yaml, String origin) {
    YamlNode.MapNode root = YamlReader.read(yaml, origin).asMap("the offline remediation table");
    Map<String, Entry> loaded = new LinkedHashMap<>();
    root.entries().forEach((type, node) -> loaded.put(type, entry(type, node.asMap("entry '" + type + "'"))));
    if (!loaded.containsKey(UNKNOWN)) {
      throw root.error("the offline remediation table needs an '" + UNKNOWN + "' entry");
    }
    this.entries = Map.copyOf(loaded);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Anomaly types with an entry of their own. */
  public Set<String> anomalyTypes() {
    return entries.keySet();
  }

  @Override
  public Remediation consult(Request request) {
    AnomalyReport anomaly = Objects.requireNonNull(request.anomaly(), "anomaly");
    Entry entry = entries.getOrDefault(anomaly.anomalyType(), entries.get(UNKNOWN));
    Map<String, String> alertLabels = request.incident() == null ? Map.of() : request.incident().alert().labels();
    String diagnosis = prose(entry.diagnosis(), anomaly);
    String summary = request.incident() == null ? null : request.incident().alert().annotation("summary");
    if (summary != null && !summary.isBlank()) {
      diagnosis += " Alert summary, quoted as received: \"" + quoted(summary) + "\"";
    }
    List<Parameter> parameters = new ArrayList<>();
    for (Parameter parameter : entry.parameters()) {
      parameters.add(labelled(parameter, anomaly, alertLabels));
    }
    return new Remediation(NAME, diagnosis, prose(entry.rootCause(), anomaly), entry.playbookName(), parameters,
        entry.steps(), entry.verification(), entry.estimatedRecoveryTime());
  }

  /** The service parameter reads the label the service actually came from, when that can be told. */
  private static Parameter labelled(Parameter parameter, AnomalyReport anomaly, Map<String, String> labels) {
    if (!parameter.name().equals("service")) {
      return parameter;
    }
    String fromLabel = parameter.fromLabel() == null ? "service" : parameter.fromLabel();
    if (!anomaly.service().equals(labels.get(fromLabel))) {
      for (Map.Entry<String, String> label : new java.util.TreeMap<>(labels).entrySet()) {
        if (!label.getKey().equals("alertname") && anomaly.service().equals(label.getValue())) {
          fromLabel = label.getKey();
          break;
        }
      }
    }
    return new Parameter(parameter.name(), parameter.description(), fromLabel, parameter.pattern(),
        parameter.defaultValue(), parameter.required());
  }

  private static String prose(String template, AnomalyReport anomaly) {
    return template.replace("{service}", anomaly.signature().service()).replace("{scope}", anomaly.signature().scope());
  }

  /** Untrusted text as one line of at most {@value #SUMMARY_LIMIT} characters. */
  private static String quoted(String text) {
    String flat = text.replaceAll("\\p{Cntrl}+", " ").replace("\"", "'").strip();
    return flat.length() <= SUMMARY_LIMIT ? flat : flat.substring(0, SUMMARY_LIMIT - 1) + "…";
  }

  // ---------------------------------------------------------------- loading

  private static Entry entry(String type, YamlNode.MapNode node) {
    String what = "entry '" + type + "'";
    node.onlyKeys(what, ENTRY_KEYS);
    List<Parameter> parameters = new ArrayList<>();
    if (node.has("parameters")) {
      for (YamlNode p : node.get("parameters").asList(what + ".parameters").items()) {
        parameters.add(parameter(p.asMap(what + " parameter"), what));
      }
    }
    List<PlaybookStep> steps = new ArrayList<>();
    for (YamlNode s : node.require("steps", what).asList(what + ".steps").items()) {
      YamlNode.MapNode step = s.asMap(what + " step");
      step.onlyKeys(what + " step", STEP_KEYS);
      StepAction action = action(step, what);
      RiskClass risk;
      try {
        risk = RiskClass.parse(step.text("risk_hint", what + " step '" + action.name() + "'"));
      } catch (IllegalArgumentException e) {
        throw new CatalogException(step.file(), step.lineOf("risk_hint"), e.getMessage());
      }
      StepAction rollback = null;
      if (step.has("rollback")) {
        YamlNode.MapNode r = step.get("rollback").asMap(what + " rollback");
        r.onlyKeys(what + " rollback", ACTION_KEYS);
        rollback = action(r, what);
      }
      StepAction check = null;
      if (step.has("verification")) {
        YamlNode.MapNode c = step.get("verification").asMap(what + " step verification");
        c.onlyKeys(what + " step verification", ACTION_KEYS);
        check = action(c, what);
      }
      steps.add(new PlaybookStep(action, risk, rollback, check));
    }
    StepAction verification = null;
    if (node.has("verification")) {
      YamlNode.MapNode v = node.get("verification").asMap(what + ".verification");
      v.onlyKeys(what + ".verification", ACTION_KEYS);
      verification = action(v, what);
    }
    Set<String> declared = new java.util.HashSet<>();
    parameters.forEach(p -> declared.add(p.name()));
    List<Object> actions = new ArrayList<>();
    steps.forEach(s -> {
      actions.add(s.action().args());
      if (s.rollback() != null) {
        actions.add(s.rollback().args());
      }
      if (s.verification() != null) {
        actions.add(s.verification().args());
      }
    });
    if (verification != null) {
      actions.add(verification.args());
    }
    for (String reference : Jinja.references(actions)) {
      if (!declared.contains(reference)) {
        throw node.error(what + ": arguments use {{ " + reference + " }} but no parameter declares it");
      }
    }
    try {
      return new Entry(node.text("diagnosis", what), node.optText("root_cause", what, ""),
          node.text("playbook_name", what), parameters, steps, verification,
          node.optText("estimated_recovery_time", what, ""));
    } catch (IllegalArgumentException e) {
      throw node.error(what + ": " + e.getMessage());
    }
  }

  private static Parameter parameter(YamlNode.MapNode p, String what) {
    p.onlyKeys(what + " parameter", PARAMETER_KEYS);
    String name = p.text("name", what + " parameter");
    if (!p.has("pattern")) {
      throw p.error(what + ": parameter '" + name + "' has no validation pattern");
    }
    boolean required = p.has("required") && p.get("required") instanceof YamlNode.Scalar s
        && Boolean.TRUE.equals(s.value());
    try {
      return new Parameter(name, p.optText("description", what, ""), p.optText("from_label", what, null),
          p.text("pattern", what), p.optText("default", what, null), required);
    } catch (IllegalArgumentException e) {
      throw p.error(what + ": " + e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static StepAction action(YamlNode.MapNode node, String what) {
    String name = node.text("name", what + " step");
    Map<String, Object> args = node.has("args")
        ? (Map<String, Object>) node.get("args").asMap(what + " step '" + name + "' args").plain() : Map.of();
    try {
      return new StepAction(name, node.text("module", what + " step '" + name + "'"), args);
    } catch (IllegalArgumentException e) {
      throw node.error(what + ": " + e.getMessage());
    }
  }

  private static String readResource() {
    try (InputStream in = OfflineCatalogConsultant.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
