package dev.reflex.adapters.files;

import dev.reflex.adapters.files.internal.YamlNode;
import dev.reflex.adapters.files.internal.YamlReader;
import dev.reflex.domain.detection.DetectionRules;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.Severity;
import dev.reflex.domain.port.PlaybookCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * The playbook repository as a folder: {@code playbooks/<id>/meta.yml} + {@code playbook.yml},
 * and {@code rules/detection.yml}. Everything is read and checked once, in the constructor, so a
 * broken file fails start-up with {@code file:line: message} rather than an incident later.
 */
public final class FilePlaybookCatalog implements PlaybookCatalog {

  public static final String PLAYBOOKS_DIR = "playbooks";
  public static final String DETECTION_RULES = "rules/detection.yml";

  private static final Set<String> RULES_KEYS = Set.of("service_labels", "scope_labels", "severity_label", "rules");
  private static final Set<String> RULE_KEYS = Set.of("anomaly_type", "alertnames", "alertname_pattern",
      "default_severity", "metric", "value_annotation", "threshold_annotation", "unit");

  private final Path root;
  private final Map<String, Playbook> playbooks;
  private final Map<String, String> playbookFiles;
  private final List<String> order;
  private final DetectionRules detectionRules;

  /**
   * @param repoRoot a checkout of the playbook repository (or {@code playbook-repo-template/})
   * @throws CatalogException naming the file and line of the first problem found
   */
  public FilePlaybookCatalog(Path repoRoot) {
    this.root = repoRoot;
    Map<String, Playbook> loaded = new LinkedHashMap<>();
    Map<String, String> files = new LinkedHashMap<>();
    Path dir = repoRoot.resolve(PLAYBOOKS_DIR);
    if (!Files.isDirectory(dir)) {
      throw new CatalogException(relative(dir), 1, "no playbooks folder in " + repoRoot);
    }
    try (Stream<Path> children = Files.list(dir)) {
      for (Path folder : children.filter(Files::isDirectory).sorted().toList()) {
        String metaName = relative(folder.resolve(PlaybookYaml.META_FILE));
        String playbookName = relative(folder.resolve(PlaybookYaml.PLAYBOOK_FILE));
        String metaText = read(folder.resolve(PlaybookYaml.META_FILE), metaName);
        String playbookText = read(folder.resolve(PlaybookYaml.PLAYBOOK_FILE), playbookName);
        Playbook playbook = PlaybookYaml.parse(metaText, metaName, playbookText, playbookName);
        if (!playbook.id().equals(folder.getFileName().toString())) {
          throw new CatalogException(metaName, 1, "id '" + playbook.id() + "' differs from its folder name '"
              + folder.getFileName() + "'");
        }
        loaded.put(playbook.id(), playbook);
        files.put(playbook.id(), playbookText);
      }
    } catch (IOException e) {
      throw new CatalogException(relative(dir), 1, "cannot list playbooks: " + e.getMessage(), e);
    }
    this.playbooks = Map.copyOf(loaded);
    this.playbookFiles = Map.copyOf(files);
    Path rules = repoRoot.resolve(DETECTION_RULES);
    this.detectionRules = parseDetectionRules(read(rules, relative(rules)), relative(rules));
    this.order = List.copyOf(loaded.keySet());
  }

  @Override
  public List<Playbook> playbooks() {
    return order.stream().map(playbooks::get).toList();
  }

  @Override
  public DetectionRules detectionRules() {
    return detectionRules;
  }

  public Optional<Playbook> find(String id) {
    return Optional.ofNullable(playbooks.get(id));
  }

  /**
   * The playbook's own {@code playbook.yml} as it is in the repository, with every task keyword
   * ({@code when}, {@code register}, ...) the domain model does not carry: executors should run
   * this text rather than a rendering.
   */
  public Optional<String> playbookFile(String id) {
    return Optional.ofNullable(playbookFiles.get(id));
  }

  /**
   * Parses {@code rules/detection.yml}.
   *
   * @param file the name used in error messages
   */
  public static DetectionRules parseDetectionRules(String yaml, String file) {
    YamlNode.MapNode doc = YamlReader.read(yaml, file).asMap("detection rules");
    doc.onlyKeys("detection rules", RULES_KEYS);
    List<DetectionRules.Rule> rules = new ArrayList<>();
    for (YamlNode node : doc.require("rules", "detection rules").asList("rules").items()) {
      YamlNode.MapNode rule = node.asMap("a rule");
      rule.onlyKeys("rule", RULE_KEYS);
      String type = rule.text("anomaly_type", "rule");
      String what = "rule '" + type + "'";
      Pattern pattern = null;
      if (rule.has("alertname_pattern")) {
        try {
          pattern = Pattern.compile(rule.text("alertname_pattern", what));
        } catch (PatternSyntaxException e) {
          throw new CatalogException(file, rule.lineOf("alertname_pattern"),
              what + ": invalid alertname_pattern: " + e.getDescription());
        }
      }
      Severity severity = Severity.MEDIUM;
      if (rule.has("default_severity")) {
        String text = rule.text("default_severity", what);
        severity = Severity.parse(text, null);
        if (severity == null) {
          throw new CatalogException(file, rule.lineOf("default_severity"),
              what + ": default_severity must be low, medium, high or critical: " + text);
        }
      }
      try {
        rules.add(new DetectionRules.Rule(type, rule.texts("alertnames", what), pattern, severity,
            rule.optText("metric", what, null), rule.optText("value_annotation", what, null),
            rule.optText("threshold_annotation", what, null), rule.optText("unit", what, null)));
      } catch (IllegalArgumentException e) {
        throw new CatalogException(file, rule.lineOf("anomaly_type"), e.getMessage());
      }
    }
    try {
      return new DetectionRules(doc.texts("service_labels", "detection rules"),
          doc.texts("scope_labels", "detection rules"),
          doc.optText("severity_label", "detection rules", null), rules);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new CatalogException(file, doc.lineOf("service_labels"), e.getMessage());
    }
  }

  private String relative(Path path) {
    try {
      return root.relativize(path).toString().replace('\\', '/');
    } catch (IllegalArgumentException e) {
      return path.toString();
    }
  }

  private static String read(Path path, String name) {
    if (!Files.isRegularFile(path)) {
      throw new CatalogException(name, 1, "file is missing");
    }
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CatalogException(name, 1, "cannot read: " + e.getMessage(), e);
    }
  }
}
