package dev.reflex.adapters.files;

import dev.reflex.adapters.files.internal.YamlNode;
import dev.reflex.adapters.files.internal.YamlReader;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.policy.AllowedHours;
import dev.reflex.domain.policy.ApprovalMode;
import dev.reflex.domain.policy.Approver;
import dev.reflex.domain.policy.Policy;
import dev.reflex.domain.policy.PolicySet;
import dev.reflex.domain.port.PolicySource;
import dev.reflex.domain.risk.ForbiddenCommands;
import dev.reflex.domain.policy.RateLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * The policies of the playbook repository, {@code policies/*.yml}, read and checked once in the
 * constructor: a broken file fails start-up with {@code file:line: message}.
 *
 * <p>A file without {@code applies_to} is the default policy (at most one); its missing keys take
 * the built-in defaults ({@link Policy#defaults()}: auto-remediation off). A file with
 * {@code applies_to: {categories: [...], services: [...]}} applies to those incidents; its missing
 * keys are taken from the default policy, and its {@code forbidden_commands} are added to the
 * default's, never replace them. Without a {@code policies} folder the built-in default applies.
 */
public final class FilePolicySource implements PolicySource {

  public static final String POLICIES_DIR = "policies";

  private static final Set<String> KEYS = Set.of("version", "applies_to", "enabled", "auto_remediation",
      "min_confidence", "min_reliability", "auto_approve_threshold", "requires_approval", "allowed_action_types",
      "forbidden_commands", "max_actions_per_hour", "max_actions_per_signature_per_day", "cooldown_after_action",
      "max_targets", "allowed_hours", "approvers", "approvals_required", "approval_timeout_seconds", "max_concurrency", "max_errors");
  private static final Set<String> SCOPE_KEYS = Set.of("categories", "services");
  private static final Set<String> RATE_KEYS = Set.of("global", "per_service", "per_playbook");
  private static final Set<String> HOURS_KEYS = Set.of("timezone", "days", "from", "to");
  private static final Set<String> APPROVER_KEYS = Set.of("email", "name", "risk");
  private static final Set<String> FORBIDDEN_KEYS = Set.of("id", "pattern", "reason");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|h|d)");
  private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d|24:00");
  private static final Map<String, DayOfWeek> DAYS = Map.of("mon", DayOfWeek.MONDAY, "tue", DayOfWeek.TUESDAY,
      "wed", DayOfWeek.WEDNESDAY, "thu", DayOfWeek.THURSDAY, "fri", DayOfWeek.FRIDAY, "sat", DayOfWeek.SATURDAY,
      "sun", DayOfWeek.SUNDAY);

  private final PolicySet policies;

  /**
   * @param repoRoot a checkout of the playbook repository (or {@code playbook-repo-template/})
   * @throws CatalogException naming the file and line of the first problem found
   */
  public FilePolicySource(Path repoRoot) {
    Path dir = repoRoot.resolve(POLICIES_DIR);
    Map<String, String> texts = new LinkedHashMap<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList()) {
          String name = POLICIES_DIR + "/" + file.getFileName();
          try {
            texts.put(name, Files.readString(file, StandardCharsets.UTF_8));
          } catch (IOException e) {
            throw new CatalogException(name, 1, "cannot read: " + e.getMessage(), e);
          }
        }
      } catch (IOException e) {
        throw new CatalogException(POLICIES_DIR, 1, "cannot list policies: " + e.getMessage(), e);
      }
    }
    this.policies = parse(texts);
  }

  /** Every key a policy file may hold: what the loader accepts is what the review gate accepts. */
  public static Set<String> keys() {
    return KEYS;
  }

  @Override
  public PolicySet policies() {
    return policies;
  }

  /**
   * Parses policy files.
   *
   * @param files file name (used in messages) to YAML text
   */
  public static PolicySet parse(Map<String, String> files) {
    Map<String, YamlNode.MapNode> docs = new LinkedHashMap<>();
    String defaultFile = null;
    for (Map.Entry<String, String> file : files.entrySet()) {
      YamlNode.MapNode doc = YamlReader.read(file.getValue(), file.getKey()).asMap("a policy");
      doc.onlyKeys("policy", KEYS);
      if (doc.has("version") && !doc.get("version").asText("version").equals("1")) {
        throw new CatalogException(file.getKey(), doc.lineOf("version"), "version must be 1");
      }
      if (!doc.has("applies_to")) {
        if (defaultFile != null) {
          throw new CatalogException(file.getKey(), 1, "a second default policy (no applies_to); the first is "
              + defaultFile);
        }
        defaultFile = file.getKey();
      }
      docs.put(file.getKey(), doc);
    }
    Policy base = Policy.defaults();
    List<Policy> result = new ArrayList<>();
    if (defaultFile != null) {
      base = policy(defaultFile, docs.get(defaultFile), base, false);
      result.add(base);
    }
    for (Map.Entry<String, YamlNode.MapNode> doc : docs.entrySet()) {
      if (!doc.getKey().equals(defaultFile)) {
        result.add(policy(doc.getKey(), doc.getValue(), base, true));
      }
    }
    return new PolicySet(result);
  }

  private static Policy policy(String file, YamlNode.MapNode doc, Policy base, boolean scoped) {
    Policy.Builder b = base.toBuilder().name(file).categories(List.of()).services(List.of());
    if (scoped) {
      YamlNode.MapNode scope = doc.require("applies_to", "policy").asMap("applies_to");
      scope.onlyKeys("applies_to", SCOPE_KEYS);
      List<String> categories = scope.texts("categories", "applies_to");
      List<String> services = scope.texts("services", "applies_to");
      if (categories.isEmpty() && services.isEmpty()) {
        throw new CatalogException(file, doc.lineOf("applies_to"), "applies_to needs categories or services");
      }
      b.categories(categories).services(services);
    }
    if (doc.has("enabled")) {
      b.enabled(bool(doc, "enabled"));
    }
    if (doc.has("auto_remediation")) {
      b.autoRemediation(bool(doc, "auto_remediation"));
    }
    if (doc.has("min_confidence")) {
      b.minConfidence(number(doc, "min_confidence", 0, 1));
    }
    if (doc.has("min_reliability")) {
      b.minReliability(number(doc, "min_reliability", 0, 100));
    }
    if (doc.has("auto_approve_threshold")) {
      b.autoApproveThreshold(number(doc, "auto_approve_threshold", 0, 100));
    }
    if (doc.has("requires_approval")) {
      YamlNode.MapNode modes = doc.get("requires_approval").asMap("requires_approval");
      Map<RiskClass, ApprovalMode> map = new EnumMap<>(RiskClass.class);
      map.putAll(base.requiresApproval());
      for (String key : modes.entries().keySet()) {
        RiskClass risk = risk(modes, key, key, "requires_approval");
        String text = modes.text(key, "requires_approval");
        try {
          map.put(risk, ApprovalMode.parse(text));
        } catch (IllegalArgumentException e) {
          throw new CatalogException(file, modes.lineOf(key), "requires_approval." + key + ": " + e.getMessage());
        }
        if (risk == RiskClass.CRITICAL_WRITE && map.get(risk) != ApprovalMode.ALWAYS) {
          throw new CatalogException(file, modes.lineOf(key),
              "requires_approval.critical_write must be always: no policy can relax it");
        }
      }
      b.requiresApproval(map);
    }
    if (doc.has("allowed_action_types")) {
      Set<RiskClass> types = EnumSet.noneOf(RiskClass.class);
      for (String text : doc.texts("allowed_action_types", "policy")) {
        types.add(risk(doc, "allowed_action_types", text, "allowed_action_types"));
      }
      b.allowedActionTypes(types);
    }
    if (doc.has("forbidden_commands")) {
      List<ForbiddenCommands.Rule> rules = new ArrayList<>(scoped ? base.forbiddenCommands() : List.of());
      for (YamlNode node : doc.get("forbidden_commands").asList("forbidden_commands").items()) {
        YamlNode.MapNode item = node.asMap("a forbidden command");
        item.onlyKeys("forbidden command", FORBIDDEN_KEYS);
        String id = item.text("id", "forbidden command");
        String reason = item.text("reason", "forbidden command '" + id + "'");
        try {
          rules.add(new ForbiddenCommands.Rule(id + ": " + reason, Pattern.compile(
              item.text("pattern", "forbidden command '" + id + "'"), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)));
        } catch (PatternSyntaxException e) {
          throw new CatalogException(file, item.lineOf("pattern"), "forbidden command '" + id
              + "': invalid pattern: " + e.getDescription());
        }
      }
      b.forbiddenCommands(rules);
    }
    RateLimits limits = base.limits();
    if (doc.has("max_actions_per_hour")) {
      YamlNode node = doc.get("max_actions_per_hour");
      if (node instanceof YamlNode.MapNode map) {
        map.onlyKeys("max_actions_per_hour", RATE_KEYS);
        limits = new RateLimits(
            map.has("global") ? count(map, "global") : limits.perHourGlobal(),
            map.has("per_service") ? count(map, "per_service") : limits.perHourPerService(),
            map.has("per_playbook") ? count(map, "per_playbook") : limits.perHourPerPlaybook(),
            limits.perDayPerSignature());
      } else {
        limits = new RateLimits(count(doc, "max_actions_per_hour"), limits.perHourPerService(),
            limits.perHourPerPlaybook(), limits.perDayPerSignature());
      }
    }
    if (doc.has("max_actions_per_signature_per_day")) {
      limits = new RateLimits(limits.perHourGlobal(), limits.perHourPerService(), limits.perHourPerPlaybook(),
          count(doc, "max_actions_per_signature_per_day"));
    }
    b.limits(limits);
    if (doc.has("cooldown_after_action")) {
      b.cooldownAfterAction(duration(doc, "cooldown_after_action"));
    }
    if (doc.has("max_targets")) {
      int max = count(doc, "max_targets");
      if (max < 1) {
        throw new CatalogException(file, doc.lineOf("max_targets"), "max_targets must be at least 1: " + max);
      }
      b.maxTargets(max);
    }
    if (doc.has("allowed_hours")) {
      b.allowedHours(hours(doc.get("allowed_hours").asMap("allowed_hours")));
    }
    if (doc.has("approvers")) {
      List<Approver> approvers = new ArrayList<>();
      for (YamlNode node : doc.get("approvers").asList("approvers").items()) {
        YamlNode.MapNode item = node.asMap("an approver");
        item.onlyKeys("approver", APPROVER_KEYS);
        Set<RiskClass> risks = EnumSet.noneOf(RiskClass.class);
        for (String text : item.texts("risk", "approver")) {
          risks.add(risk(item, "risk", text, "approver.risk"));
        }
        try {
          approvers.add(new Approver(item.text("email", "approver"), item.optText("name", "approver", null), risks));
        } catch (IllegalArgumentException e) {
          throw new CatalogException(file, item.lineOf("email"), e.getMessage());
        }
      }
      b.approvers(approvers);
    }
    if (doc.has("approvals_required")) {
      b.approvalsRequired(count(doc, "approvals_required"));
    }
    if (doc.has("approval_timeout_seconds")) {
      b.approvalTimeout(Duration.ofSeconds(count(doc, "approval_timeout_seconds")));
    }
    if (doc.has("max_concurrency")) {
      b.maxConcurrency(rate(doc, "max_concurrency"));
    }
    if (doc.has("max_errors")) {
      b.maxErrors(rate(doc, "max_errors"));
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      // the domain's message starts with the field at fault, e.g. "approvals_required 2 exceeds ..."
      String key = KEYS.stream().filter(message::startsWith).max(java.util.Comparator.comparingInt(String::length))
          .orElse(null);
      throw new CatalogException(file, key == null ? 1 : doc.lineOf(key), message);
    }
  }

  private static AllowedHours hours(YamlNode.MapNode node) {
    node.onlyKeys("allowed_hours", HOURS_KEYS);
    String zoneText = node.text("timezone", "allowed_hours");
    ZoneId zone;
    try {
      zone = ZoneId.of(zoneText);
    } catch (DateTimeException e) {
      throw new CatalogException(node.file(), node.lineOf("timezone"), "allowed_hours.timezone is not a time zone: "
          + zoneText);
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String text : node.texts("days", "allowed_hours")) {
      DayOfWeek day = DAYS.get(text.toLowerCase(Locale.ROOT));
      if (day == null) {
        throw new CatalogException(node.file(), node.lineOf("days"), "allowed_hours.days: unknown day '" + text
            + "' (expected mon, tue, wed, thu, fri, sat, sun)");
      }
      days.add(day);
    }
    LocalTime from = time(node, "from");
    LocalTime to = time(node, "to");
    try {
      return new AllowedHours(zone, days, from, to);
    } catch (IllegalArgumentException e) {
      throw new CatalogException(node.file(), node.line(), e.getMessage());
    }
  }

  private static LocalTime time(YamlNode.MapNode node, String key) {
    String text = node.text(key, "allowed_hours");
    if (!TIME.matcher(text).matches()) {
      throw new CatalogException(node.file(), node.lineOf(key), "allowed_hours." + key + " must be HH:MM: " + text);
    }
    return text.equals("24:00") ? LocalTime.MAX : LocalTime.parse(text);
  }

  private static RiskClass risk(YamlNode.MapNode node, String key, String text, String what) {
    try {
      return RiskClass.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CatalogException(node.file(), node.lineOf(key), what + ": " + e.getMessage());
    }
  }

  private static boolean bool(YamlNode.MapNode node, String key) {
    if (node.get(key) instanceof YamlNode.Scalar scalar && scalar.value() instanceof Boolean value) {
      return value;
    }
    throw new CatalogException(node.file(), node.lineOf(key), key + " must be true or false");
  }

  private static double number(YamlNode.MapNode node, String key, double min, double max) {
    if (node.get(key) instanceof YamlNode.Scalar scalar && scalar.value() instanceof Number value) {
      double d = value.doubleValue();
      if (d < min || d > max) {
        throw new CatalogException(node.file(), node.lineOf(key), key + " must be within [" + fmt(min) + ", "
            + fmt(max) + "]: " + scalar.text());
      }
      return d;
    }
    throw new CatalogException(node.file(), node.lineOf(key), key + " must be a number");
  }

  private static int count(YamlNode.MapNode node, String key) {
    if (node.get(key) instanceof YamlNode.Scalar scalar && scalar.value() instanceof Number value
        && (value instanceof Integer || value instanceof Long) && value.longValue() >= 0
        && value.longValue() <= Integer.MAX_VALUE) {
      return value.intValue();
    }
    throw new CatalogException(node.file(), node.lineOf(key), key + " must be a whole number, 0 or more");
  }

  /** A rate-control value: a whole number or a percentage like {@code 10%} (checked by the domain). */
  private static String rate(YamlNode.MapNode node, String key) {
    if (node.get(key) instanceof YamlNode.Scalar scalar && scalar.value() instanceof Number) {
      return Integer.toString(count(node, key));
    }
    return node.get(key).asText(key).trim();
  }

  /** A duration as seconds (a number) or text like {@code 30s}, {@code 15m}, {@code 2h}, {@code 1d}. */
  private static Duration duration(YamlNode.MapNode node, String key) {
    YamlNode value = node.get(key);
    if (value instanceof YamlNode.Scalar scalar && scalar.value() instanceof Number) {
      return Duration.ofSeconds(count(node, key));
    }
    String text = value.asText(key).trim().toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new CatalogException(node.file(), node.lineOf(key), key + " must be seconds or like 30s, 15m, 2h, 1d: "
          + text);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  private static String fmt(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
