package dev.reflex.adapters.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.reflex.adapters.files.internal.YamlNode;
import dev.reflex.adapters.files.internal.YamlReader;
import dev.reflex.domain.model.Parameter;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.model.StepAction;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The two files of a playbook in the repository, {@code playbook.yml} (one Ansible play) and
 * {@code meta.yml} (what Reflex needs to match, judge and learn), to and from a domain
 * {@link Playbook}.
 *
 * <p>In {@code playbook.yml} every task is tagged {@value #REMEDIATE}, {@value #VERIFY} or
 * {@code [rollback, never]}; meta.yml names the tasks by their {@code name}. Reading joins the
 * two: a step is the remediate task of that name, and so is a step's own {@code verification}
 * (a read-only task that follows its step, so that the whole-play pass runs it in place; a
 * rendered playbook also tags it {@code verify_step_<n>} so that it can run alone). Task keywords
 * other than the module and its
 * arguments ({@code when}, {@code register}, ...) are not part of the domain model, so a playbook
 * rendered from a parsed one is equivalent only for playbooks without them; executors run the
 * repository's own file when they have it.
 */
public final class PlaybookYaml {

  public static final String PLAYBOOK_FILE = "playbook.yml";
  public static final String META_FILE = "meta.yml";
  public static final String REMEDIATE = "remediate";
  public static final String VERIFY = "verify";
  public static final String ROLLBACK = "rollback";
  public static final String NEVER = "never";
  /** The play's hosts: the executor sets {@code reflex_targets}; without it the play runs locally. */
  public static final String HOSTS = "{{ reflex_targets | default('localhost') }}";
  public static final int DEFAULT_VERIFY_TIMEOUT_SECONDS = 300;

  private static final Set<String> META_KEYS = Set.of("id", "version", "title", "source", "anomaly_types",
      "signature_patterns", "signature", "confidence", "status", "description", "guidance", "parameters",
      "steps", "verification", "supporting_incidents", "evidence_text");
  private static final Set<String> PARAMETER_KEYS =
      Set.of("name", "description", "from_label", "from_annotation", "pattern", "default", "required");
  private static final Set<String> STEP_KEYS = Set.of("task", "risk", "rollback", "verification");
  private static final Set<String> VERIFICATION_KEYS = Set.of("task", "timeout_seconds");

  /** Task keywords (not modules), from Ansible's playbook keyword reference. */
  private static final Set<String> TASK_KEYWORDS = Set.of("name", "tags", "when", "register", "vars", "args",
      "changed_when", "failed_when", "until", "retries", "delay", "become", "become_user", "become_method",
      "become_flags", "become_exe", "ignore_errors", "ignore_unreachable", "environment", "loop", "loop_control",
      "no_log", "notify", "delegate_to", "delegate_facts", "run_once", "check_mode", "diff", "timeout",
      "throttle", "any_errors_fatal", "async", "poll", "collections", "module_defaults", "debugger",
      "connection", "listen", "remote_user", "port", "local_action", "action", "with_items", "with_dict",
      "with_fileglob", "with_first_found", "with_together", "with_sequence", "with_subelements",
      "with_nested", "with_list", "with_indexed_items", "with_random_choice", "with_lines");

  /** Java regex constructs Python's {@code re} does not understand: such a pattern is not re-asserted in the play. */
  private static final Pattern JAVA_ONLY = Pattern.compile("\\\\[pPhHRQEzXG]|[*+?}]\\+|\\(\\?<[A-Za-z]|\\[\\[:");

  private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
          .disable(YAMLGenerator.Feature.SPLIT_LINES)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
          .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
          .build())
      .build();

  private PlaybookYaml() {}

  /** One task of a play, with the tags it carries (inherited from enclosing blocks). */
  public record AnsibleTask(String name, String module, Map<String, Object> args, Set<String> tags, int line) {
    public AnsibleTask {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(module, "module");
      args = args == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(args));
      tags = Set.copyOf(tags);
    }

    public boolean tagged(String tag) {
      return tags.contains(tag);
    }

    public StepAction action() {
      return new StepAction(name, module, args);
    }
  }

  /** The tag that selects the rollback task of step {@code stepIndex} (0-based) in a rendered playbook. */
  public static String rollbackTag(int stepIndex) {
    return "rollback_step_" + (stepIndex + 1);
  }

  /** The tag that selects step {@code stepIndex}'s own verification (0-based) alone in a rendered playbook. */
  public static String verifyStepTag(int stepIndex) {
    return "verify_step_" + (stepIndex + 1);
  }

  /**
   * The names the rendered play gives each step's task and its verification's ({@code null}
   * without one): the remediate tasks' names, made unique in play order.
   */
  private static List<String[]> remediateNames(Playbook playbook) {
    Set<String> taken = new LinkedHashSet<>();
    List<String[]> names = new ArrayList<>();
    for (PlaybookStep step : playbook.steps()) {
      String stepName = unique(step.action().name(), taken);
      String checkName = step.verification() == null ? null : unique(step.verification().name(), taken);
      names.add(new String[] {stepName, checkName});
    }
    return names;
  }

  // ---------------------------------------------------------------- rendering

  /**
   * Renders one Ansible play: remediate steps (each followed by its own verification), the
   * verification, then rollbacks in reverse step order.
   */
  public static String renderPlaybook(Playbook playbook) {
    Map<String, Object> play = new LinkedHashMap<>();
    play.put("name", playbook.title());
    play.put("hosts", HOSTS);
    play.put("gather_facts", false);
    Map<String, Object> vars = new LinkedHashMap<>();
    for (Parameter parameter : playbook.parameters()) {
      if (parameter.defaultValue() != null) {
        vars.put(parameter.name(), parameter.defaultValue());
      }
    }
    if (!vars.isEmpty()) {
      play.put("vars", vars);
    }
    Map<String, Object> validate = validationTask(playbook.parameters());
    if (validate != null) {
      play.put("pre_tasks", List.of(validate));
    }

    List<Object> tasks = new ArrayList<>();
    List<String[]> remediateNames = remediateNames(playbook);
    for (int i = 0; i < playbook.steps().size(); i++) {
      PlaybookStep step = playbook.steps().get(i);
      tasks.add(task(remediateNames.get(i)[0], step.action(), List.of(REMEDIATE)));
      if (step.verification() != null) {
        tasks.add(task(remediateNames.get(i)[1], step.verification(), List.of(REMEDIATE, verifyStepTag(i))));
      }
    }
    if (playbook.verification() != null) {
      tasks.add(task(playbook.verification().name(), playbook.verification(), List.of(VERIFY)));
    }
    // rollbacks in reverse step order, so that a rollback pass undoes the last step first
    Map<String, StepAction> rollbackByName = new LinkedHashMap<>();
    Map<String, List<String>> rollbackTags = new LinkedHashMap<>();
    for (int i = playbook.steps().size() - 1; i >= 0; i--) {
      StepAction rollback = playbook.steps().get(i).rollback();
      if (rollback == null) {
        continue;
      }
      String name = rollback.name();
      int n = 2;
      while (rollbackByName.containsKey(name) && !rollbackByName.get(name).equals(rollback)) {
        name = rollback.name() + " (" + n++ + ")";
      }
      rollbackByName.put(name, rollback);
      rollbackTags.computeIfAbsent(name, k -> new ArrayList<>(List.of(ROLLBACK, NEVER))).add(rollbackTag(i));
    }
    rollbackByName.forEach((name, action) -> tasks.add(task(name, action, rollbackTags.get(name))));
    play.put("tasks", tasks);
    return "---\n# Rendered by Reflex from playbook " + playbook.id() + " " + playbook.version() + ".\n"
        + "# Tags: remediate (steps in order, each followed by its own check, also tagged verify_step_<n>),"
        + " verify, rollback (undo, never run unless asked).\n"
        + write(List.of(play)).replaceFirst("^---\\s*\n", "");
  }

  /** Renders {@code meta.yml}: the format of the playbook repository, with signature and confidence. */
  public static String renderMeta(Playbook playbook) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("id", playbook.id());
    meta.put("version", playbook.version());
    meta.put("title", playbook.title());
    meta.put("source", playbook.source().wireName());
    meta.put("anomaly_types", playbook.anomalyTypes());
    meta.put("signature_patterns", playbook.signaturePatterns());
    if (playbook.signature() != null) {
      meta.put("signature", playbook.signature().toString());
    }
    meta.put("confidence", playbook.stats().confidence());
    meta.put("status", playbook.status().name());
    meta.put("description", playbook.description());
    meta.put("guidance", playbook.guidance());
    List<Object> parameters = new ArrayList<>();
    for (Parameter parameter : playbook.parameters()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", parameter.name());
      p.put("description", parameter.description());
      if (parameter.fromLabel() != null) {
        p.put("from_label", parameter.fromLabel());
      }
      p.put("pattern", parameter.pattern());
      if (parameter.defaultValue() != null) {
        p.put("default", parameter.defaultValue());
      }
      p.put("required", parameter.required());
      parameters.add(p);
    }
    meta.put("parameters", parameters);
    List<Object> steps = new ArrayList<>();
    List<String[]> remediateNames = remediateNames(playbook);
    Map<String, StepAction> rollbackByName = new LinkedHashMap<>();
    List<String> rollbackNames = new ArrayList<>();
    for (int i = playbook.steps().size() - 1; i >= 0; i--) {
      StepAction rollback = playbook.steps().get(i).rollback();
      String name = null;
      if (rollback != null) {
        name = rollback.name();
        int n = 2;
        while (rollbackByName.containsKey(name) && !rollbackByName.get(name).equals(rollback)) {
          name = rollback.name() + " (" + n++ + ")";
        }
        rollbackByName.put(name, rollback);
      }
      rollbackNames.add(0, name);
    }
    for (int i = 0; i < playbook.steps().size(); i++) {
      PlaybookStep step = playbook.steps().get(i);
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("task", remediateNames.get(i)[0]);
      s.put("risk", step.declaredRisk().wireName());
      if (rollbackNames.get(i) != null) {
        s.put("rollback", rollbackNames.get(i));
      }
      if (remediateNames.get(i)[1] != null) {
        s.put("verification", remediateNames.get(i)[1]);
      }
      steps.add(s);
    }
    meta.put("steps", steps);
    if (playbook.verification() != null) {
      Map<String, Object> verification = new LinkedHashMap<>();
      verification.put("task", playbook.verification().name());
      verification.put("timeout_seconds", DEFAULT_VERIFY_TIMEOUT_SECONDS);
      meta.put("verification", verification);
    }
    meta.put("supporting_incidents", playbook.supportingIncidents());
    if (!playbook.evidenceText().isEmpty()) {
      meta.put("evidence_text", playbook.evidenceText());
    }
    return write(meta).replaceFirst("^---\\s*\n", "");
  }

  private static String unique(String name, Set<String> taken) {
    String candidate = name;
    int n = 2;
    while (!taken.add(candidate)) {
      candidate = name + " (" + n++ + ")";
    }
    return candidate;
  }

  private static Map<String, Object> task(String name, StepAction action, List<String> tags) {
    Map<String, Object> task = new LinkedHashMap<>();
    task.put("name", name);
    task.put("tags", tags);
    Map<String, Object> args = new LinkedHashMap<>(action.args());
    Object raw = args.remove("_raw_params");
    if (raw != null) {
      task.put(action.module(), String.valueOf(raw));
      if (!args.isEmpty()) {
        task.put("args", args);
      }
    } else {
      task.put(action.module(), args);
    }
    return task;
  }

  /** An {@code assert} task re-checking every parameter's pattern inside Ansible, before any step. */
  private static Map<String, Object> validationTask(List<Parameter> parameters) {
    List<String> that = new ArrayList<>();
    for (Parameter parameter : parameters) {
      String name = parameter.name();
      if (parameter.required()) {
        that.add(name + " is defined");
      }
      if (!JAVA_ONLY.matcher(parameter.pattern()).find()) {
        String literal = parameter.pattern().replace("\\", "\\\\").replace("'", "\\'");
        that.add(name + " is not defined or (" + name + " | string) is regex('" + literal
            + "', match_type='fullmatch')");
      }
    }
    if (that.isEmpty()) {
      return null;
    }
    Map<String, Object> assertion = new LinkedHashMap<>();
    assertion.put("that", that);
    assertion.put("quiet", true);
    assertion.put("fail_msg", "A parameter does not match its validation pattern; nothing was changed.");
    Map<String, Object> task = new LinkedHashMap<>();
    task.put("name", "Validate parameters");
    task.put("tags", List.of("always"));
    task.put("ansible.builtin.assert", assertion);
    return task;
  }

  private static String write(Object value) {
    try {
      return YAML.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------- parsing

  /**
   * The tasks of the single play in {@code playbook.yml} ({@code pre_tasks}, {@code tasks},
   * {@code post_tasks}, blocks flattened).
   *
   * @param file the name used in error messages
   * @throws CatalogException with {@code file:line} when the file is not one play of tasks
   */
  public static List<AnsibleTask> tasks(String playbookYaml, String file) {
    YamlNode.ListNode plays = YamlReader.read(playbookYaml, file).asList("a playbook");
    if (plays.items().size() != 1) {
      throw plays.error("a playbook must contain exactly one play, found " + plays.items().size());
    }
    YamlNode.MapNode play = plays.items().get(0).asMap("the play");
    if (!play.has("hosts")) {
      throw play.error("the play has no 'hosts'");
    }
    Set<String> playTags = new LinkedHashSet<>(play.texts("tags", "play"));
    List<AnsibleTask> out = new ArrayList<>();
    for (String section : List.of("pre_tasks", "tasks", "post_tasks")) {
      if (play.has(section)) {
        collect(play.get(section).asList(section), playTags, out);
      }
    }
    return out;
  }

  private static void collect(YamlNode.ListNode list, Set<String> inherited, List<AnsibleTask> out) {
    for (YamlNode item : list.items()) {
      YamlNode.MapNode task = item.asMap("a task");
      Set<String> tags = new LinkedHashSet<>(inherited);
      tags.addAll(task.texts("tags", "task"));
      if (task.has("block")) {
        for (String part : List.of("block", "rescue", "always")) {
          if (task.has(part)) {
            collect(task.get(part).asList(part), tags, out);
          }
        }
        continue;
      }
      String name = task.has("name") ? task.text("name", "task") : null;
      List<String> modules = task.entries().keySet().stream().filter(k -> !TASK_KEYWORDS.contains(k)).toList();
      if (task.has("action") || task.has("local_action")) {
        throw task.error("task '" + name + "': 'action'/'local_action' are not supported; name the module as the key");
      }
      if (modules.size() != 1) {
        throw task.error("task '" + name + "': cannot tell its module among " + modules);
      }
      String module = modules.get(0);
      Map<String, Object> args = new LinkedHashMap<>();
      YamlNode value = task.get(module);
      if (value instanceof YamlNode.MapNode map) {
        args.putAll(map.entries().isEmpty() ? Map.of() : castMap(map.plain()));
      } else if (value instanceof YamlNode.Scalar scalar && scalar.value() != null) {
        args.put("_raw_params", scalar.text());
      } else if (value instanceof YamlNode.ListNode) {
        throw value.error("task '" + name + "': module " + module + " arguments must be a mapping or a string");
      }
      if (task.has("args")) {
        args.putAll(castMap(task.get("args").asMap("args").plain()));
      }
      if (name == null) {
        name = module;
      }
      out.add(new AnsibleTask(name, module, args, tags, task.line()));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object plain) {
    return (Map<String, Object>) plain;
  }

  /**
   * Joins {@code meta.yml} with the tasks of {@code playbook.yml}.
   *
   * @param metaFile the meta file's name in error messages, e.g. {@code playbooks/x/meta.yml}
   * @param playbookFile the playbook file's name in error messages
   * @throws CatalogException with {@code file:line: message} for anything Reflex cannot use
   */
  public static Playbook parse(String metaYaml, String metaFile, String playbookYaml, String playbookFile) {
    List<AnsibleTask> tasks = tasks(playbookYaml, playbookFile);
    YamlNode.MapNode meta = YamlReader.read(metaYaml, metaFile).asMap("meta.yml");
    meta.onlyKeys("meta.yml", META_KEYS);

    String id = meta.text("id", "meta");
    String version = meta.text("version", "meta");
    PlaybookSource source = parseEnum(meta, "source", PlaybookSource::parse, "catalog, learned or llm");
    PlaybookStatus status = parseEnum(meta, "status",
        text -> PlaybookStatus.valueOf(text.trim().toUpperCase(Locale.ROOT)),
        "ACTIVE, PENDING_REVIEW, REJECTED, REJECTED_BY_GATE or DISABLED");
    double confidence;
    try {
      confidence = Double.parseDouble(meta.text("confidence", "meta"));
    } catch (NumberFormatException e) {
      throw new CatalogException(metaFile, meta.lineOf("confidence"), "confidence must be a number in [0, 1]");
    }
    PlaybookStats stats;
    try {
      stats = PlaybookStats.initial(confidence);
    } catch (IllegalArgumentException e) {
      throw new CatalogException(metaFile, meta.lineOf("confidence"), e.getMessage());
    }
    Signature signature = null;
    if (meta.has("signature")) {
      try {
        signature = Signature.parse(meta.text("signature", "meta"));
      } catch (IllegalArgumentException e) {
        throw new CatalogException(metaFile, meta.lineOf("signature"), e.getMessage());
      }
    }
    for (String pattern : meta.texts("signature_patterns", "meta")) {
      if (pattern.split("\\|", -1).length != 3) {
        throw new CatalogException(metaFile, meta.lineOf("signature_patterns"),
            "signature pattern must be type|service|scope (use * for any): " + pattern);
      }
    }

    List<Parameter> parameters = new ArrayList<>();
    if (meta.has("parameters")) {
      for (YamlNode node : meta.get("parameters").asList("parameters").items()) {
        parameters.add(parameter(node.asMap("a parameter")));
      }
    }

    List<PlaybookStep> steps = new ArrayList<>();
    for (YamlNode node : meta.require("steps", "meta").asList("steps").items()) {
      YamlNode.MapNode step = node.asMap("a step");
      step.onlyKeys("step", STEP_KEYS);
      String taskName = step.text("task", "step");
      AnsibleTask task = find(tasks, taskName, REMEDIATE, step, "task", playbookFile);
      RiskClass risk;
      try {
        risk = RiskClass.parse(step.text("risk", "step '" + taskName + "'"));
      } catch (IllegalArgumentException e) {
        throw new CatalogException(metaFile, step.lineOf("risk"), "step '" + taskName + "': " + e.getMessage());
      }
      StepAction rollback = null;
      if (step.has("rollback")) {
        rollback = find(tasks, step.text("rollback", "step"), ROLLBACK, step, "rollback", playbookFile).action();
      }
      StepAction verification = null;
      if (step.has("verification")) {
        // a remediate task, so that the whole-play pass runs it right after its step (the gate checks where)
        verification = find(tasks, step.text("verification", "step '" + taskName + "'"), REMEDIATE, step,
            "verification", playbookFile, "step '" + taskName + "': verification: ").action();
      }
      steps.add(new PlaybookStep(task.action(), risk, rollback, verification));
    }
    if (steps.isEmpty()) {
      throw new CatalogException(metaFile, meta.lineOf("steps"), "a playbook needs at least one step");
    }

    StepAction verification = null;
    if (meta.has("verification")) {
      YamlNode.MapNode v = meta.get("verification").asMap("verification");
      v.onlyKeys("verification", VERIFICATION_KEYS);
      verification = find(tasks, v.text("task", "verification"), VERIFY, v, "task", playbookFile).action();
      if (v.has("timeout_seconds") && !v.text("timeout_seconds", "verification").matches("[1-9][0-9]{0,5}")) {
        throw new CatalogException(metaFile, v.lineOf("timeout_seconds"), "timeout_seconds must be a positive integer");
      }
    }

    try {
      return new Playbook(id, version, meta.optText("title", "meta", id), source, status,
          meta.texts("anomaly_types", "meta"), meta.texts("signature_patterns", "meta"), signature,
          meta.optText("description", "meta", ""), meta.optText("guidance", "meta", ""), parameters, steps,
          verification, stats, meta.texts("supporting_incidents", "meta"), meta.optText("evidence_text", "meta", ""),
          null, null, 0);
    } catch (IllegalArgumentException e) {
      throw new CatalogException(metaFile, meta.lineOf(e.getMessage().contains("version") ? "version" : "id"),
          e.getMessage());
    }
  }

  private static Parameter parameter(YamlNode.MapNode p) {
    p.onlyKeys("parameter", PARAMETER_KEYS);
    String name = p.text("name", "parameter");
    String what = "parameter '" + name + "'";
    if (!p.has("pattern")) {
      throw p.error(what + " has no validation pattern: every parameter needs 'pattern'");
    }
    boolean required = false;
    if (p.has("required")) {
      if (!(p.get("required") instanceof YamlNode.Scalar s && s.value() instanceof Boolean b)) {
        throw new CatalogException(p.file(), p.lineOf("required"), what + ": required must be true or false");
      }
      required = b;
    }
    try {
      return new Parameter(name, p.optText("description", what, ""), p.optText("from_label", what, null),
          p.text("pattern", what), p.optText("default", what, null), required);
    } catch (IllegalArgumentException e) {
      throw p.error(e.getMessage());
    }
  }

  private static AnsibleTask find(
      List<AnsibleTask> tasks, String name, String tag, YamlNode.MapNode at, String key, String playbookFile) {
    return find(tasks, name, tag, at, key, playbookFile, "");
  }

  /** @param context what the task is for, prefixed to errors (e.g. {@code step 'x': verification: }) */
  private static AnsibleTask find(List<AnsibleTask> tasks, String name, String tag, YamlNode.MapNode at, String key,
      String playbookFile, String context) {
    List<AnsibleTask> named = tasks.stream().filter(t -> t.name().equals(name)).toList();
    if (named.isEmpty()) {
      throw new CatalogException(at.file(), at.lineOf(key), context + "no task named '" + name + "' in " + playbookFile);
    }
    List<AnsibleTask> tagged = named.stream().filter(t -> t.tagged(tag)).toList();
    if (tagged.isEmpty()) {
      throw new CatalogException(at.file(), at.lineOf(key), context + "task '" + name + "' (" + playbookFile + ":"
          + named.get(0).line() + ") is not tagged '" + tag + "'");
    }
    if (tagged.size() > 1) {
      throw new CatalogException(at.file(), at.lineOf(key), context + "more than one task named '" + name
          + "' tagged '" + tag + "' in " + playbookFile);
    }
    return tagged.get(0);
  }

  private static <T> T parseEnum(
      YamlNode.MapNode meta, String key, java.util.function.Function<String, T> parser, String expected) {
    String text = meta.text(key, "meta");
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw new CatalogException(meta.file(), meta.lineOf(key), key + " must be " + expected + ": " + text);
    }
  }
}
