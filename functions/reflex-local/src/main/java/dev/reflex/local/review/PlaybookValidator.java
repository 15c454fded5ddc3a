package dev.reflex.local.review;

import dev.reflex.adapters.files.CatalogException;
import dev.reflex.adapters.files.FilePlaybookCatalog;
import dev.reflex.adapters.files.PlaybookYaml;
import dev.reflex.adapters.files.internal.YamlNode;
import dev.reflex.adapters.files.internal.YamlReader;
import dev.reflex.domain.detection.AnomalyDetector;
import dev.reflex.domain.detection.DetectionRules;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.gate.Finding;
import dev.reflex.domain.gate.GateResult;
import dev.reflex.domain.gate.PlaybookGate;
import dev.reflex.domain.matching.PlaybookMatcher;
import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.AnomalyReport;
import dev.reflex.domain.model.MatchResult;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.risk.ForbiddenCommands;
import dev.reflex.domain.risk.RiskClassifier;
import dev.reflex.lambda.ingest.AlertmanagerWebhookParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * {@code reflex validate}: checks a playbook repository (or one playbook folder) the way CI should
 * before anyone reviews a change, and says what is wrong as {@code file:line: message}.
 *
 * <ol>
 *   <li>{@code rules/detection.yml} and every {@code policies/*.yml} (required keys and types of
 *       {@code schema/policy.schema.json}; forbidden-command patterns compile);
 *   <li>each {@code playbooks/<id>/} and {@code learned/<id>/}: meta.yml against playbook.yml (the
 *       catalog loader's checks), id equal to the folder name, every parameter default also set,
 *       to the same value, in the play's {@code vars}, then the {@link PlaybookGate} with the
 *       policies' forbidden commands added to the built-in ones;
 *   <li>Ansible syntax ({@code ansible-playbook --syntax-check}) and {@code ansible-lint}, when
 *       installed;
 *   <li>each {@code tests/<case>/}: {@code alert.json} through the anomaly detector and the
 *       matcher, offline; {@code expected.yml}'s anomaly_type, signature and playbook must match
 *       (a learned playbook counts as matched when it is the best candidate: its confidence is
 *       learned at run time, in the metadata store, not in Git).
 * </ol>
 */
public final class PlaybookValidator {

  /** Options; {@code ansible} runs the external tools when they are on the PATH. */
  public record Options(boolean ansible, double matchThreshold, boolean strict) {
    public static Options defaults() {
      return new Options(true, 0.8, false);
    }
  }

  /** Everything found, in file and line order. */
  public record Report(List<Diagnostic> diagnostics, int playbooks, int testCases) {
    public Report {
      diagnostics = diagnostics.stream().sorted(Diagnostic.ORDER).toList();
    }

    public List<Diagnostic> errors() {
      return diagnostics.stream().filter(Diagnostic::error).toList();
    }

    public boolean passes(boolean strict) {
      return strict ? diagnostics.isEmpty() : errors().isEmpty();
    }
  }

  private static final Set<String> POLICY_KEYS = dev.reflex.adapters.files.FilePolicySource.keys();
  /** Keys the default policy (no {@code applies_to}) must state; a scoped policy inherits them from it. */
  private static final List<String> POLICY_REQUIRED = List.of("version", "auto_remediation", "min_confidence",
      "requires_approval", "forbidden_commands", "max_actions_per_hour", "allowed_hours", "approvers");
  private static final Set<String> APPROVAL_MODES = Set.of("always", "never", "unless_auto");
  private static final Set<String> DAYS = Set.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
  private static final Pattern RULE_ID = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");
  private static final Pattern HOUR = Pattern.compile("^([01][0-9]|2[0-3]):[0-5][0-9]$");
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
  private static final Set<String> EXPECTED_KEYS = Set.of("anomaly_type", "signature", "playbook");

  private final Options options;
  private final AnsibleChecks ansible;

  public PlaybookValidator(Options options) {
    this.options = Objects.requireNonNull(options, "options");
    this.ansible = new AnsibleChecks();
  }

  /**
   * @param path a playbook repository, or one playbook folder (holding meta.yml) inside one
   */
  public Report validate(Path path) {
    Path target = path.toAbsolutePath().normalize();
    List<Diagnostic> out = new ArrayList<>();
    Path root;
    List<Path> folders;
    if (Files.isRegularFile(target.resolve(PlaybookYaml.META_FILE))) {
      root = repositoryAbove(target);
      folders = List.of(target);
    } else if (Files.isDirectory(target.resolve(FilePlaybookCatalog.PLAYBOOKS_DIR))) {
      root = target;
      folders = new ArrayList<>(children(target.resolve(FilePlaybookCatalog.PLAYBOOKS_DIR)));
      folders.addAll(children(target.resolve("learned")));
    } else {
      out.add(Diagnostic.error(target.toString(), 1,
          "neither a playbook repository (no playbooks/ folder) nor a playbook folder (no meta.yml)"));
      return new Report(out, 0, 0);
    }
    Path base = root == null ? target.getParent() : root;

    DetectionRules rules = null;
    List<ForbiddenCommands.Rule> forbidden = new ArrayList<>(ForbiddenCommands.defaults().rules());
    if (root != null) {
      rules = detectionRules(root, out);
      int before = out.size();
      Map<String, String> policyTexts = new LinkedHashMap<>();
      for (Path policy : policyFiles(root)) {
        forbidden.addAll(policy(policy, name(base, policy), out));
        try {
          policyTexts.put(name(base, policy), Files.readString(policy, StandardCharsets.UTF_8));
        } catch (IOException e) {
          // reported by policy() already
        }
      }
      if (out.size() == before) {
        loadedLikeTheEngine(policyTexts, out);
      }
    }
    PlaybookGate gate = new PlaybookGate(new RiskClassifier(), ForbiddenCommands.ofRules(forbidden));

    Map<Path, Playbook> loaded = new LinkedHashMap<>();
    for (Path folder : folders) {
      Playbook playbook = playbook(folder, base, gate, out);
      if (playbook != null) {
        loaded.put(folder, playbook);
      }
    }
    if (options.ansible()) {
      for (Path folder : folders) {
        Path file = folder.resolve(PlaybookYaml.PLAYBOOK_FILE);
        if (Files.isRegularFile(file)) {
          out.addAll(ansible.check(file, name(base, file)));
        }
      }
    }

    int cases = 0;
    List<Playbook> candidates = root == null ? new ArrayList<>(loaded.values()) : everyPlaybook(root, loaded);
    for (Map.Entry<Path, Playbook> entry : loaded.entrySet()) {
      cases += testCases(entry.getKey(), entry.getValue(), base, rules, candidates, out);
    }
    return new Report(out, folders.size(), cases);
  }

  // ---------------------------------------------------------------- playbooks

  private Playbook playbook(Path folder, Path base, PlaybookGate gate, List<Diagnostic> out) {
    Path metaPath = folder.resolve(PlaybookYaml.META_FILE);
    Path playbookPath = folder.resolve(PlaybookYaml.PLAYBOOK_FILE);
    String metaName = name(base, metaPath);
    String playbookName = name(base, playbookPath);
    String metaText = read(metaPath, metaName, out);
    String playbookText = read(playbookPath, playbookName, out);
    if (metaText == null || playbookText == null) {
      return null;
    }
    Playbook playbook;
    YamlNode.MapNode meta;
    List<PlaybookYaml.AnsibleTask> tasks;
    try {
      playbook = PlaybookYaml.parse(metaText, metaName, playbookText, playbookName);
      meta = YamlReader.read(metaText, metaName).asMap("meta.yml");
      tasks = PlaybookYaml.tasks(playbookText, playbookName);
    } catch (CatalogException e) {
      out.add(Diagnostic.error(e.file(), e.line(), stripLocation(e)));
      return null;
    }
    if (!playbook.id().equals(folder.getFileName().toString())) {
      out.add(Diagnostic.error(metaName, meta.lineOf("id"),
          "id '" + playbook.id() + "' differs from its folder name '" + folder.getFileName() + "'"));
    }
    defaultsInPlayVars(playbook, meta, metaName, playbookText, playbookName, out);
    Set<String> playVariables = playVariables(playbookText, playbookName);
    List<String> remediateTasks = tasks.stream().filter(t -> t.tagged(PlaybookYaml.REMEDIATE))
        .map(PlaybookYaml.AnsibleTask::name).toList();
    GateResult result = gate.check(playbook, playVariables, remediateTasks);
    for (Finding finding : result.findings()) {
      Located at = locate(finding, playbook, meta, metaName, tasks, playbookName);
      out.add(new Diagnostic(at.file(), at.line(), finding.isError(), finding.location() + ": " + finding.message()));
    }
    return playbook;
  }

  private record Located(String file, int line) {}

  /** Declarations (risk, missing rollback) point at meta.yml; content (commands, variables) at playbook.yml. */
  private static Located locate(Finding finding, Playbook playbook, YamlNode.MapNode meta, String metaName,
      List<PlaybookYaml.AnsibleTask> tasks, String playbookName) {
    Finding.Location location = finding.location();
    String message = finding.message();
    return switch (location.kind()) {
      case PLAYBOOK -> new Located(metaName, meta.lineOf(message.startsWith("no verification") ? "steps" : "id"));
      case PARAMETER -> new Located(metaName, listItemLine(meta, "parameters", "name", location.name()));
      case STEP -> message.startsWith("declared ") || message.contains("has no rollback")
          ? new Located(metaName, stepLine(meta, location.name(), message.startsWith("declared ") ? "risk" : "task"))
          : new Located(playbookName, taskLine(tasks, location.name(), PlaybookYaml.REMEDIATE));
      case ROLLBACK -> new Located(playbookName, taskLine(tasks, location.name(), PlaybookYaml.ROLLBACK));
      case VERIFICATION -> new Located(playbookName, taskLine(tasks, location.name(), PlaybookYaml.VERIFY));
      // where it stands (or is missing) is meta.yml's declaration; what it does is the task's
      case STEP_VERIFICATION -> message.contains(" must come after ") || message.contains(" is not a task ")
          || message.contains(" is also a step")
          ? new Located(metaName, stepLine(meta, location.name(), "verification"))
          : new Located(playbookName, playbook.steps().stream().filter(s -> s.name().equals(location.name()))
              .findFirst().filter(s -> s.verification() != null)
              .map(s -> taskLine(tasks, s.verification().name(), PlaybookYaml.REMEDIATE)).orElse(1));
    };
  }

  private static int stepLine(YamlNode.MapNode meta, String task, String key) {
    if (meta.get("steps") instanceof YamlNode.ListNode steps) {
      for (YamlNode item : steps.items()) {
        if (item instanceof YamlNode.MapNode step && step.get("task") instanceof YamlNode.Scalar s
            && task.equals(s.text())) {
          return step.lineOf(key);
        }
      }
    }
    return meta.lineOf("steps");
  }

  private static int listItemLine(YamlNode.MapNode meta, String list, String key, String value) {
    if (meta.get(list) instanceof YamlNode.ListNode items) {
      for (YamlNode item : items.items()) {
        if (item instanceof YamlNode.MapNode map && map.get(key) instanceof YamlNode.Scalar s && value.equals(s.text())) {
          return map.lineOf(key);
        }
      }
    }
    return meta.lineOf(list);
  }

  private static int taskLine(List<PlaybookYaml.AnsibleTask> tasks, String name, String tag) {
    return tasks.stream().filter(t -> t.name().equals(name) && t.tagged(tag)).findFirst()
        .or(() -> tasks.stream().filter(t -> t.name().equals(name)).findFirst())
        .map(PlaybookYaml.AnsibleTask::line).orElse(1);
  }

  /**
   * Every parameter default must also be the play's own {@code vars} value: an executor may leave
   * a value equal to its default out (Systems Manager's {@code AWS-ApplyAnsiblePlaybooks} does, so
   * that a default such as {@code http://prometheus:9090} need not pass its pattern), and the play
   * then runs with its own.
   */
  static void defaultsInPlayVars(Playbook playbook, YamlNode.MapNode meta, String metaName, String playbookText,
      String playbookName, List<Diagnostic> out) {
    Map<String, YamlNode> vars = Map.of();
    if (YamlReader.read(playbookText, playbookName) instanceof YamlNode.ListNode plays && !plays.items().isEmpty()
        && plays.items().get(0) instanceof YamlNode.MapNode play && play.get("vars") instanceof YamlNode.MapNode map) {
      vars = map.entries();
    }
    for (dev.reflex.domain.model.Parameter parameter : playbook.parameters()) {
      String expected = parameter.defaultValue();
      if (expected == null) {
        continue;
      }
      YamlNode value = vars.get(parameter.name());
      int line = listItemLine(meta, "parameters", "name", parameter.name());
      if (value == null) {
        out.add(Diagnostic.error(metaName, line, "parameter '" + parameter.name() + "' has a default that the play's"
            + " vars do not set: add " + parameter.name() + ": \"" + expected + "\" to the vars of " + playbookName
            + " (an executor may leave a value equal to its default out)"));
      } else if (!(value instanceof YamlNode.Scalar scalar && expected.equals(scalar.text()))) {
        out.add(Diagnostic.error(metaName, line, "parameter '" + parameter.name() + "' has default \"" + expected
            + "\" but the play's vars set it to " + (value instanceof YamlNode.Scalar scalar ? "\"" + scalar.text()
            + "\"" : value.kind()) + " (" + playbookName + ":" + value.line() + "): they must agree"));
      }
    }
  }

  /** Variables the play defines itself: play and task {@code vars}, {@code register}, {@code set_fact}, loop_var. */
  static Set<String> playVariables(String playbookText, String file) {
    Set<String> names = new HashSet<>();
    YamlNode root = YamlReader.read(playbookText, file);
    if (root instanceof YamlNode.ListNode plays) {
      for (YamlNode play : plays.items()) {
        if (play instanceof YamlNode.MapNode map) {
          keys(map.get("vars"), names);
          for (String section : List.of("pre_tasks", "tasks", "post_tasks", "handlers")) {
            tasks(map.get(section), names);
          }
        }
      }
    }
    return names;
  }

  private static void tasks(YamlNode node, Set<String> names) {
    if (!(node instanceof YamlNode.ListNode list)) {
      return;
    }
    for (YamlNode item : list.items()) {
      if (!(item instanceof YamlNode.MapNode task)) {
        continue;
      }
      if (task.get("register") instanceof YamlNode.Scalar register && register.value() != null) {
        names.add(register.text());
      }
      keys(task.get("vars"), names);
      keys(task.get("set_fact"), names);
      keys(task.get("ansible.builtin.set_fact"), names);
      if (task.get("loop_control") instanceof YamlNode.MapNode control
          && control.get("loop_var") instanceof YamlNode.Scalar loopVar) {
        names.add(loopVar.text());
      }
      for (String part : List.of("block", "rescue", "always")) {
        tasks(task.get(part), names);
      }
    }
  }

  private static void keys(YamlNode node, Set<String> names) {
    if (node instanceof YamlNode.MapNode map) {
      names.addAll(map.entries().keySet());
    }
  }

  private static List<Playbook> everyPlaybook(Path root, Map<Path, Playbook> loaded) {
    List<Playbook> all = new ArrayList<>(loaded.values());
    for (String dir : List.of(FilePlaybookCatalog.PLAYBOOKS_DIR, "learned")) {
      for (Path folder : children(root.resolve(dir))) {
        if (!loaded.containsKey(folder)) {
          try {
            all.add(PlaybookYaml.parse(Files.readString(folder.resolve(PlaybookYaml.META_FILE)), "meta.yml",
                Files.readString(folder.resolve(PlaybookYaml.PLAYBOOK_FILE)), "playbook.yml"));
          } catch (IOException | RuntimeException e) {
            // a broken neighbour is reported when the repository itself is validated
          }
        }
      }
    }
    return all;
  }

  // ---------------------------------------------------------------- test cases

  private int testCases(Path folder, Playbook playbook, Path base, DetectionRules rules, List<Playbook> candidates,
      List<Diagnostic> out) {
    Path tests = folder.resolve("tests");
    List<Path> cases = children(tests);
    String metaName = name(base, folder.resolve(PlaybookYaml.META_FILE));
    if (cases.isEmpty()) {
      out.add(Diagnostic.warning(metaName, 1, "no test case: add tests/<case>/alert.json and expected.yml"));
      return 0;
    }
    if (rules == null) {
      out.add(Diagnostic.error(metaName, 1, "cannot run the test cases: no rules/detection.yml above " + folder));
      return 0;
    }
    PlaybookMatcher matcher = new PlaybookMatcher(options.matchThreshold());
    AnomalyDetector detector = new AnomalyDetector(rules);
    for (Path testCase : cases) {
      Path alertPath = testCase.resolve("alert.json");
      Path expectedPath = testCase.resolve("expected.yml");
      String alertName = name(base, alertPath);
      String expectedName = name(base, expectedPath);
      String expectedText = read(expectedPath, expectedName, out);
      if (!Files.isRegularFile(alertPath)) {
        out.add(Diagnostic.error(alertName, 1, "file is missing"));
        continue;
      }
      if (expectedText == null) {
        continue;
      }
      YamlNode.MapNode expected;
      try {
        expected = YamlReader.read(expectedText, expectedName).asMap("expected.yml");
        expected.onlyKeys("expected.yml", EXPECTED_KEYS);
      } catch (CatalogException e) {
        out.add(Diagnostic.error(e.file(), e.line(), stripLocation(e)));
        continue;
      }
      List<Alert> alerts;
      try {
        alerts = new AlertmanagerWebhookParser().parse(Files.readAllBytes(alertPath));
      } catch (InvalidInputException e) {
        out.add(Diagnostic.error(alertName, 1, "not a valid Alertmanager webhook body: " + e.field() + ": "
            + e.getMessage()));
        continue;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (alerts.isEmpty()) {
        out.add(Diagnostic.error(alertName, 1, "the webhook body holds no alert"));
        continue;
      }
      Alert alert = alerts.get(0);
      AnomalyReport anomaly = detector.detect(alert);
      compare(expected, "anomaly_type", anomaly.anomalyType(), expectedName, out, "detection");
      compare(expected, "signature", anomaly.signature().toString(), expectedName, out, "detection");
      List<Playbook> bySignature = candidates.stream()
          .filter(p -> anomaly.signature().equals(p.signature())).toList();
      List<Playbook> learned = candidates.stream().filter(p -> p.source() != PlaybookSource.CATALOG).toList();
      MatchResult match = matcher.match(alert, anomaly, bySignature, candidates, learned);
      // A learned playbook's confidence is learned at run time and kept in the metadata store, not in
      // Git: offline, being the best candidate is what its test case can show.
      boolean learnedBest = !match.matched() && match.playbookId() != null
          && match.playbookId().equals(playbook.id()) && playbook.source() != PlaybookSource.CATALOG;
      String picked = match.matched() || learnedBest ? match.playbookId() : "none";
      String why = match.matched() ? " (" + match.matchedBy().name().toLowerCase(java.util.Locale.ROOT)
          + ", confidence " + match.confidence() + ")"
          : match.playbookId() == null ? " (no candidate)"
          : " (best candidate " + match.playbookId() + " at confidence " + match.confidence() + " < threshold "
              + match.threshold() + ")";
      if (expected.has("playbook")) {
        String want = expected.text("playbook", "expected.yml");
        if (!want.equals(picked)) {
          out.add(Diagnostic.error(expectedName, expected.lineOf("playbook"),
              "expected playbook '" + want + "' but the matcher picked '" + picked + "'" + why));
        }
        if (!want.equals(playbook.id()) && !"none".equals(want)) {
          out.add(Diagnostic.warning(expectedName, expected.lineOf("playbook"),
              "this test case belongs to '" + playbook.id() + "' but expects '" + want + "'"));
        }
      } else {
        out.add(Diagnostic.error(expectedName, 1, "expected.yml: 'playbook' is required"));
      }
    }
    return cases.size();
  }

  private static void compare(YamlNode.MapNode expected, String key, String actual, String file,
      List<Diagnostic> out, String stage) {
    if (!expected.has(key)) {
      out.add(Diagnostic.error(file, 1, "expected.yml: '" + key + "' is required"));
      return;
    }
    String want = expected.get(key) instanceof YamlNode.Scalar s ? s.text() : String.valueOf(expected.get(key).plain());
    if (!want.equals(actual)) {
      out.add(Diagnostic.error(file, expected.lineOf(key), "expected " + key + " '" + want + "' but " + stage
          + " gave '" + actual + "'"));
    }
  }

  // ---------------------------------------------------------------- rules and policies

  private static DetectionRules detectionRules(Path root, List<Diagnostic> out) {
    Path file = root.resolve(FilePlaybookCatalog.DETECTION_RULES);
    String name = FilePlaybookCatalog.DETECTION_RULES;
    String text = read(file, name, out);
    if (text == null) {
      return null;
    }
    try {
      return FilePlaybookCatalog.parseDetectionRules(text, name);
    } catch (CatalogException e) {
      out.add(Diagnostic.error(e.file(), e.line(), stripLocation(e)));
      return null;
    }
  }

  private static List<Path> policyFiles(Path root) {
    Path dir = root.resolve("policies");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Loads the policies as the decision engine will ({@link dev.reflex.adapters.files.FilePolicySource}),
   * so that the gate never passes a policy set the engine refuses (a second default, an
   * {@code applies_to} without categories or services, an out-of-range value the key checks above
   * do not know).
   */
  private static void loadedLikeTheEngine(Map<String, String> texts, List<Diagnostic> out) {
    try {
      dev.reflex.adapters.files.FilePolicySource.parse(texts);
    } catch (CatalogException e) {
      out.add(Diagnostic.error(e.file(), e.line(), stripLocation(e)));
    } catch (IllegalArgumentException e) {
      out.add(Diagnostic.error(texts.keySet().stream().findFirst().orElse("policies"), 1,
          "the policy engine refuses these policies: " + e.getMessage()));
    }
  }

  /** Checks a policy file's keys and types; returns its forbidden-command rules. */
  static List<ForbiddenCommands.Rule> policy(Path path, String name, List<Diagnostic> out) {
    String text = read(path, name, out);
    if (text == null) {
      return List.of();
    }
    YamlNode.MapNode doc;
    try {
      doc = YamlReader.read(text, name).asMap("a policy");
    } catch (CatalogException e) {
      out.add(Diagnostic.error(e.file(), e.line(), stripLocation(e)));
      return List.of();
    }
    PolicyCheck check = new PolicyCheck(name, out);
    for (String key : doc.entries().keySet()) {
      if (!POLICY_KEYS.contains(key)) {
        check.error(doc.lineOf(key), "unknown key '" + key + "'");
      }
    }
    for (String key : doc.has("applies_to") ? List.<String>of() : POLICY_REQUIRED) {
      if (!doc.has(key)) {
        check.error(doc.line(), "'" + key + "' is required");
      }
    }
    if (doc.has("version") && !"1".equals(scalarText(doc.get("version")))) {
      check.error(doc.lineOf("version"), "version must be 1");
    }
    check.bool(doc, "auto_remediation");
    check.number(doc, "min_confidence", 0, 1);
    check.integer(doc, "max_actions_per_hour", 0, Long.MAX_VALUE);
    check.integer(doc, "max_actions_per_signature_per_day", 0, Long.MAX_VALUE);
    check.integer(doc, "approval_timeout_seconds", 60, 86400);
    check.pattern(doc, "max_concurrency", dev.reflex.domain.policy.Policy.MAX_CONCURRENCY);
    check.pattern(doc, "max_errors", dev.reflex.domain.policy.Policy.MAX_ERRORS);
    if (doc.has("requires_approval")) {
      YamlNode.MapNode modes = check.map(doc, "requires_approval");
      if (modes != null) {
        check.only(modes, "requires_approval", Set.of("read_only", "safe_write", "critical_write"));
        for (String risk : List.of("read_only", "safe_write")) {
          check.oneOf(modes, risk, APPROVAL_MODES, true);
        }
        check.oneOf(modes, "critical_write", Set.of("always"), true);
      }
    }
    if (doc.has("allowed_hours")) {
      YamlNode.MapNode hours = check.map(doc, "allowed_hours");
      if (hours != null) {
        check.only(hours, "allowed_hours", Set.of("timezone", "days", "from", "to"));
        check.required(hours, "allowed_hours", List.of("timezone", "days", "from", "to"));
        check.pattern(hours, "from", HOUR);
        check.pattern(hours, "to", HOUR);
        if (hours.has("timezone")) {
          try {
            java.time.ZoneId.of(scalarText(hours.get("timezone")));
          } catch (RuntimeException e) {
            check.error(hours.lineOf("timezone"), "allowed_hours.timezone is not a time zone");
          }
        }
        if (hours.get("days") instanceof YamlNode.ListNode days) {
          for (YamlNode day : days.items()) {
            if (!DAYS.contains(scalarText(day))) {
              check.error(day.line(), "allowed_hours.days: '" + scalarText(day) + "' is not one of " + DAYS);
            }
          }
        } else if (hours.has("days")) {
          check.error(hours.lineOf("days"), "allowed_hours.days must be a list");
        }
      }
    }
    if (doc.has("approvers")) {
      if (doc.get("approvers") instanceof YamlNode.ListNode approvers && !approvers.items().isEmpty()) {
        for (YamlNode item : approvers.items()) {
          if (item instanceof YamlNode.MapNode approver) {
            check.only(approver, "approver", Set.of("email", "name", "risk"));
            check.required(approver, "approver", List.of("email"));
            check.pattern(approver, "email", EMAIL);
            if (approver.get("risk") instanceof YamlNode.ListNode risks) {
              for (YamlNode risk : risks.items()) {
                if (!Set.of("safe_write", "critical_write").contains(scalarText(risk))) {
                  check.error(risk.line(), "approver risk must be safe_write or critical_write");
                }
              }
            }
          } else {
            check.error(item.line(), "an approver must be a mapping");
          }
        }
      } else {
        check.error(doc.lineOf("approvers"), "approvers must be a non-empty list");
      }
    }
    List<ForbiddenCommands.Rule> rules = new ArrayList<>();
    if (doc.has("forbidden_commands")) {
      if (doc.get("forbidden_commands") instanceof YamlNode.ListNode list && !list.items().isEmpty()) {
        for (YamlNode item : list.items()) {
          if (!(item instanceof YamlNode.MapNode rule)) {
            check.error(item.line(), "a forbidden command must be a mapping of id, pattern and reason");
            continue;
          }
          check.only(rule, "forbidden command", Set.of("id", "pattern", "reason"));
          check.required(rule, "forbidden command", List.of("id", "pattern", "reason"));
          check.pattern(rule, "id", RULE_ID);
          String reason = rule.has("reason") ? scalarText(rule.get("reason")) : "";
          if (rule.has("reason") && reason.length() < 3) {
            check.error(rule.lineOf("reason"), "forbidden command reason is too short");
          }
          if (rule.has("pattern") && rule.has("id")) {
            try {
              rules.add(new ForbiddenCommands.Rule(scalarText(rule.get("id")) + " (" + reason + ")",
                  Pattern.compile(scalarText(rule.get("pattern")), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)));
            } catch (PatternSyntaxException e) {
              check.error(rule.lineOf("pattern"), "forbidden command '" + scalarText(rule.get("id"))
                  + "': invalid pattern: " + e.getDescription());
            }
          }
        }
      } else {
        check.error(doc.lineOf("forbidden_commands"), "forbidden_commands must be a non-empty list");
      }
    }
    return rules;
  }

  /** Collects policy problems with their line. */
  private record PolicyCheck(String file, List<Diagnostic> out) {
    void error(int line, String message) {
      out.add(Diagnostic.error(file, line, message));
    }

    YamlNode.MapNode map(YamlNode.MapNode doc, String key) {
      if (doc.get(key) instanceof YamlNode.MapNode map) {
        return map;
      }
      error(doc.lineOf(key), key + " must be a mapping");
      return null;
    }

    void only(YamlNode.MapNode map, String what, Set<String> allowed) {
      for (String key : map.entries().keySet()) {
        if (!allowed.contains(key)) {
          error(map.lineOf(key), what + ": unknown key '" + key + "'");
        }
      }
    }

    void required(YamlNode.MapNode map, String what, List<String> keys) {
      for (String key : keys) {
        if (!map.has(key)) {
          error(map.line(), what + ": '" + key + "' is required");
        }
      }
    }

    void bool(YamlNode.MapNode map, String key) {
      if (map.has(key) && !(map.get(key) instanceof YamlNode.Scalar s && s.value() instanceof Boolean)) {
        error(map.lineOf(key), key + " must be true or false");
      }
    }

    void number(YamlNode.MapNode map, String key, double min, double max) {
      if (!map.has(key)) {
        return;
      }
      if (!(map.get(key) instanceof YamlNode.Scalar s && s.value() instanceof Number n)
          || n.doubleValue() < min || n.doubleValue() > max) {
        error(map.lineOf(key), key + " must be a number from " + min + " to " + max);
      }
    }

    void integer(YamlNode.MapNode map, String key, long min, long max) {
      if (!map.has(key)) {
        return;
      }
      if (!(map.get(key) instanceof YamlNode.Scalar s && (s.value() instanceof Integer || s.value() instanceof Long)
          && ((Number) s.value()).longValue() >= min && ((Number) s.value()).longValue() <= max)) {
        error(map.lineOf(key), key + " must be a whole number from " + min + (max == Long.MAX_VALUE ? " up" : " to " + max));
      }
    }

    void oneOf(YamlNode.MapNode map, String key, Set<String> values, boolean required) {
      if (!map.has(key)) {
        if (required) {
          error(map.line(), "'" + key + "' is required");
        }
        return;
      }
      String value = scalarText(map.get(key));
      if (!values.contains(value)) {
        error(map.lineOf(key), key + " must be one of " + new java.util.TreeSet<>(values) + ", not '" + value + "'");
      }
    }

    void pattern(YamlNode.MapNode map, String key, Pattern pattern) {
      if (map.has(key) && !pattern.matcher(scalarText(map.get(key))).matches()) {
        error(map.lineOf(key), key + " '" + scalarText(map.get(key)) + "' does not match " + pattern);
      }
    }
  }

  // ---------------------------------------------------------------- files

  private static String scalarText(YamlNode node) {
    return node instanceof YamlNode.Scalar s && s.value() != null ? s.text() : "";
  }

  private static Path repositoryAbove(Path playbookFolder) {
    for (Path dir = playbookFolder.getParent(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(FilePlaybookCatalog.DETECTION_RULES))) {
        return dir;
      }
    }
    return null;
  }

  private static List<Path> children(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(dir)) {
      return children.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path path, String name, List<Diagnostic> out) {
    if (!Files.isRegularFile(path)) {
      out.add(Diagnostic.error(name, 1, "file is missing"));
      return null;
    }
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      out.add(Diagnostic.error(name, 1, "cannot read: " + e.getMessage()));
      return null;
    }
  }

  static String name(Path base, Path file) {
    try {
      return base.relativize(file).toString().replace('\\', '/');
    } catch (IllegalArgumentException e) {
      return file.toString();
    }
  }

  private static String stripLocation(CatalogException e) {
    String prefix = e.file() + ":" + e.line() + ": ";
    String message = e.getMessage();
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }
}
