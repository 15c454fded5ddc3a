package dev.reflex.adapters.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves where a remediation runs from the incident's labels, through the targets mapping
 * ({@code targets.yml} in the playbook repository). Rules are tried in order; the first whose
 * {@code when} labels all equal the incident's wins. Matching is exact string equality, so a
 * hostile label value can only fail to match.
 *
 * <pre>
 * targets:
 *   - when: {service: payment-api}
 *     tags: {Service: payment-api}          # tag:Service=payment-api
 *   - when: {service: checkout, environment: prod}
 *     instance_ids: [i-0123456789abcdef0]   # at most 50
 * </pre>
 */
public final class TargetResolver {

  /** One mapping rule. */
  public record Rule(Map<String, String> when, Targets targets) {
    public Rule {
      Objects.requireNonNull(targets, "targets");
      when = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(when, "when")));
      if (when.isEmpty()) {
        throw new IllegalArgumentException("a targets rule needs at least one 'when' label");
      }
    }

    boolean matches(Map<String, String> labels) {
      return when.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
  }

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Set<String> RULE_KEYS = Set.of("when", "tags", "instance_ids");

  private final List<Rule> rules;

  public TargetResolver(List<Rule> rules) {
    this.rules = List.copyOf(Objects.requireNonNull(rules, "rules"));
  }

  public List<Rule> rules() {
    return rules;
  }

  /** Reads {@code targets.yml}. */
  public static TargetResolver load(Path file) {
    try {
      return parse(Files.readString(file), file.getFileName().toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the targets mapping " + file, e);
    }
  }

  /**
   * @param source the file name used in error messages
   * @throws IllegalArgumentException naming the rule when the mapping is malformed
   */
  public static TargetResolver parse(String yaml, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(source + ": not valid YAML: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject() || !root.path("targets").isArray()) {
      throw new IllegalArgumentException(source + ": expected a 'targets' list");
    }
    List<Rule> rules = new ArrayList<>();
    int index = 0;
    for (JsonNode node : root.path("targets")) {
      index++;
      String where = source + ": targets rule " + index;
      if (!node.isObject()) {
        throw new IllegalArgumentException(where + " is not a mapping");
      }
      for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
        String key = keys.next();
        if (!RULE_KEYS.contains(key)) {
          throw new IllegalArgumentException(where + ": unknown key '" + key + "' (expected " + new TreeSet<>(RULE_KEYS) + ")");
        }
      }
      boolean hasTags = node.has("tags");
      boolean hasIds = node.has("instance_ids");
      if (hasTags == hasIds) {
        throw new IllegalArgumentException(where + ": give exactly one of 'tags' or 'instance_ids'");
      }
      try {
        Map<String, String> when = scalars(node.path("when"), "when");
        Targets targets;
        if (hasIds) {
          targets = new Targets.InstanceIds(list(node.path("instance_ids"), "instance_ids"));
        } else {
          Map<String, List<String>> tags = new LinkedHashMap<>();
          JsonNode tagNode = node.path("tags");
          if (!tagNode.isObject()) {
            throw new IllegalArgumentException("'tags' must map tag keys to values");
          }
          tagNode.fields().forEachRemaining(e -> tags.put(e.getKey(),
              e.getValue().isArray() ? list(e.getValue(), "tags." + e.getKey()) : List.of(scalar(e.getValue(), "tags." + e.getKey()))));
          targets = new Targets.Tags(tags);
        }
        rules.add(new Rule(when, targets));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage());
      }
    }
    return new TargetResolver(rules);
  }

  /**
   * @param labels the incident's labels (or the validated parameter values derived from them)
   * @throws TargetNotFoundException when no rule matches
   */
  public Targets resolve(Map<String, String> labels) {
    Map<String, String> given = labels == null ? Map.of() : labels;
    for (Rule rule : rules) {
      if (rule.matches(given)) {
        return rule.targets();
      }
    }
    Set<String> looked = new TreeSet<>();
    rules.forEach(rule -> looked.addAll(rule.when().keySet()));
    throw new TargetNotFoundException("no targets rule matches this incident (rules look at labels "
        + looked + "); nothing was sent");
  }

  private static Map<String, String> scalars(JsonNode node, String what) {
    if (!node.isObject() || node.isEmpty()) {
      throw new IllegalArgumentException("'" + what + "' must map label names to values");
    }
    Map<String, String> out = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> out.put(e.getKey(), scalar(e.getValue(), what + "." + e.getKey())));
    return out;
  }

  private static String scalar(JsonNode node, String what) {
    if (!node.isValueNode() || node.isNull()) {
      throw new IllegalArgumentException("'" + what + "' must be a single value");
    }
    return node.asText();
  }

  private static List<String> list(JsonNode node, String what) {
    if (!node.isArray()) {
      throw new IllegalArgumentException("'" + what + "' must be a list");
    }
    List<String> out = new ArrayList<>();
    node.forEach(item -> out.add(scalar(item, what)));
    return out;
  }
}
