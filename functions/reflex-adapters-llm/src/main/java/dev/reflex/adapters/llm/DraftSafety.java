package dev.reflex.adapters.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.adapters.llm.internal.Actions;
import dev.reflex.domain.model.StepAction;
import dev.reflex.domain.risk.ForbiddenCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a drafted answer must not contain, beyond its schema: parameter patterns that let hostile
 * values through, forbidden commands (the domain's {@link ForbiddenCommands}), and steps that send
 * data out of the host.
 *
 * <p>Checks run on a schema-valid answer, before placeholders are restored, so an error can be
 * shown to the model without revealing anything it was not sent.
 */
public final class DraftSafety {

  /**
   * Values a parameter pattern must reject: a value that reaches a command line must not be able
   * to add a command, an argument, an expansion or a line.
   */
  public static final List<String> HOSTILE_VALUES = List.of(";", "a;b", "a; rm -rf /", " ", "a b", "$", "a$b",
      "$(id)", "${IFS}", "`", "a`id`", "\n", "a\nb", "a\n", "\r", "a|b", "a&b", "a>b", "a<b", "'", "a'b", "\"",
      "a\"b", "\t");

  private static final Pattern NESTED_QUANTIFIER = Pattern.compile("\\((?:[^()\\\\]|\\\\.)*[+*}]\\)[+*{]");
  private static final Pattern SEGMENT_SEPARATOR = Pattern.compile("[;&|\\n]+|\\$\\(|`");
  private static final Pattern URL_HOST =
      Pattern.compile("(?i)^(?:[a-z][a-z0-9+.-]*://)?(?:[^@/\\s]*@)?(\\[[^]]*]|[^/:?#\\s]+)");
  /** A short curl flag group holding -d, -F or -T (the upload flags), e.g. -sd or -d@file. */
  private static final Pattern SHORT_UPLOAD = Pattern.compile("^-[a-zA-Z]*?[dFT]");
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1", "0.0.0.0");
  private static final Set<String> REMOTE_COPY = Set.of("scp", "rsync", "sftp");
  private static final Set<String> SOCKET_TOOLS = Set.of("nc", "ncat", "netcat", "socat", "telnet");

  private final ForbiddenCommands forbidden;

  /** The domain's forbidden commands plus {@link #DRAFT_RULES}. */
  public DraftSafety() {
    this(withDraftRules(ForbiddenCommands.defaults()));
  }

  /**
   * What a model-drafted step may not do on top of the domain's forbidden list: destroy persistent
   * data. A person may write such a playbook; a model, possibly steered by text in an alert, may
   * not propose one.
   */
  public static final List<ForbiddenCommands.Rule> DRAFT_RULES = List.of(
      rule("recursive rm outside /tmp and /var/log",
          "\\brm\\s(?=(?:[^;&|\\n]*\\s)?(?:-[a-z]*r|--recursive))[^;&|\\n]*\\s/(?!tmp/|var/tmp/|var/log/)"),
      rule("deletes docker volumes", "\\bdocker\\s+(?:volume\\s+(?:rm|prune)|system\\s+prune\\b[^;&|\\n]*--volumes"
          + "|(?:container\\s+)?rm\\b[^;&|\\n]*\\s(?:-[a-z]*v|--volumes))"),
      rule("deletes Kubernetes volumes or namespaces",
          "\\b(?:kubectl|oc)\\s+delete\\s+(?:pvc|pv|persistentvolumes?|persistentvolumeclaims?|namespaces?|ns)\\b"),
      rule("deletes cloud storage or databases", "\\baws\\s+(?:ec2\\s+delete-(?:volume|snapshot)|s3\\s+rb"
          + "|s3\\s+rm\\b[^;&|\\n]*--recursive|rds\\s+delete-db|dynamodb\\s+delete-table|backup\\s+delete)"),
      rule("destroys a volume, pool or dataset", "\\b(?:zfs\\s+destroy|zpool\\s+destroy|lvremove|vgremove|pvremove)\\b"));

  /** {@code base} plus {@link #DRAFT_RULES}. */
  public static ForbiddenCommands withDraftRules(ForbiddenCommands base) {
    List<ForbiddenCommands.Rule> rules = new ArrayList<>(base.rules());
    rules.addAll(DRAFT_RULES);
    return ForbiddenCommands.ofRules(rules);
  }

  private static ForbiddenCommands.Rule rule(String name, String regex) {
    return new ForbiddenCommands.Rule(name, Pattern.compile(regex, Pattern.CASE_INSENSITIVE));
  }

  public DraftSafety(ForbiddenCommands forbidden) {
    this.forbidden = Objects.requireNonNull(forbidden, "forbidden");
  }

  /** Every safety error of a schema-valid answer, each naming its JSON path. */
  public List<String> check(JsonNode answer) {
    List<String> errors = new ArrayList<>();
    JsonNode parameters = answer.path("parameters");
    for (int i = 0; i < parameters.size(); i++) {
      String problem = patternProblem(parameters.get(i).path("pattern").asText(null));
      if (problem != null) {
        errors.add("parameters[" + i + "].pattern: " + problem);
      }
    }
    JsonNode steps = answer.path("remediation_steps");
    for (int i = 0; i < steps.size(); i++) {
      JsonNode step = steps.get(i);
      String path = "remediation_steps[" + i + "]";
      action(Actions.step(step), path, errors);
      if (step.path("rollback").isObject()) {
        action(Actions.rollback(step), path + ".rollback", errors);
      }
      if (step.path("verification").isObject()) {
        action(Actions.stepVerification(step), path + ".verification", errors);
      }
    }
    if (answer.path("verification").isObject()) {
      action(Actions.verification(answer.path("verification")), "verification", errors);
    }
    return List.copyOf(errors);
  }

  /** Why a parameter pattern is unacceptable, or {@code null} when it is strict enough. */
  public static String patternProblem(String pattern) {
    if (pattern == null || pattern.isBlank()) {
      return "a parameter needs a validation pattern";
    }
    Pattern compiled;
    try {
      compiled = Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      return "not a valid regular expression: " + e.getDescription();
    }
    if (NESTED_QUANTIFIER.matcher(pattern).find()) {
      return "nests quantifiers, which can backtrack catastrophically; use a simple character class";
    }
    for (String hostile : HOSTILE_VALUES) {
      if (compiled.matcher(hostile).matches()) {
        return "accepts the hostile value " + quoted(hostile) + "; allow only characters the value needs";
      }
    }
    return null;
  }

  /** Violations of one action: forbidden commands and data sent off the host. */
  public List<String> violations(StepAction action) {
    List<String> found = new ArrayList<>();
    String where = "step \"" + action.name() + "\": ";
    for (String violation : forbidden.violations(action)) {
      found.add(violation.startsWith(where) ? violation.substring(where.length()) : violation);
    }
    found.addAll(exfiltration(action));
    found.addAll(deletion(action));
    return found;
  }

  private void action(StepAction action, String path, List<String> errors) {
    for (String violation : violations(action)) {
      errors.add(path + ": " + violation);
    }
  }

  /** The file module deleting anything but logs and temporary files. */
  private static List<String> deletion(StepAction action) {
    if (!action.shortModule().equals("file") || !"absent".equalsIgnoreCase(String.valueOf(action.args().get("state")))) {
      return List.of();
    }
    Object path = action.args().getOrDefault("path", action.args().getOrDefault("dest", action.args().get("name")));
    String p = path == null ? "" : String.valueOf(path).trim();
    boolean disposable = !p.contains("..") && !p.contains("{{") && (p.startsWith("/tmp/") || p.startsWith("/var/tmp/")
        || p.startsWith("/var/log/")) && p.length() > "/var/log/".length();
    return disposable ? List.of() : List.of("deletes files outside /tmp and /var/log (file state=absent)");
  }

  // ---------------------------------------------------------------- exfiltration

  /**
   * Steps that send data to another host: curl or wget uploading ({@code -d}, {@code --data*},
   * {@code -F}, {@code -T}, {@code --upload-file}, {@code --post-*}, ...), the uri module sending
   * a body, scp/rsync/sftp to a remote, netcat-like tools and {@code /dev/tcp}. Only loopback
   * targets are allowed: a remediation has no reason to send anything elsewhere.
   */
  static List<String> exfiltration(StepAction action) {
    List<String> found = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    texts.add(action.commandText());
    collect(action.args(), texts);
    for (String text : texts) {
      String normal = text.replaceAll("[\"'\\\\]", "").replaceAll("\\s+", " ");
      if (normal.toLowerCase(Locale.ROOT).contains("/dev/tcp/") || normal.toLowerCase(Locale.ROOT).contains("/dev/udp/")) {
        found.add("sends data to a network socket (/dev/tcp)");
      }
      for (String segment : SEGMENT_SEPARATOR.split(normal)) {
        String problem = segment(segment.trim());
        if (problem != null) {
          found.add(problem);
        }
      }
    }
    if (action.shortModule().equals("uri")) {
      String method = String.valueOf(action.args().getOrDefault("method", "GET")).trim().toUpperCase(Locale.ROOT);
      boolean sends = action.args().containsKey("body") || action.args().containsKey("src")
          || !(method.equals("GET") || method.equals("HEAD"));
      String url = String.valueOf(action.args().getOrDefault("url", ""));
      if (sends && !loopback(host(url))) {
        found.add("sends data with an HTTP " + method + " request to a host other than localhost (exfiltration)");
      }
    }
    return found.stream().distinct().toList();
  }

  private static String segment(String segment) {
    List<String> words = new ArrayList<>(List.of(segment.split(" ")));
    while (!words.isEmpty() && (words.get(0).equals("sudo") || words.get(0).equals("env")
        || words.get(0).equals("nohup") || words.get(0).equals("timeout") || words.get(0).matches("\\w+=.*")
        || words.get(0).matches("\\d+[smh]?"))) {
      words.remove(0);
    }
    if (words.isEmpty()) {
      return null;
    }
    String program = words.get(0).substring(words.get(0).lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    List<String> args = words.subList(1, words.size());
    return switch (program) {
      case "curl" -> upload(args, DraftSafety::curlUpload, Set.of("-H", "--header", "-u", "--user", "-o", "--output",
          "-x", "--proxy", "-A", "--user-agent", "-e", "--referer", "-m", "--max-time", "-X", "--request",
          "--connect-timeout", "-w", "--write-out", "--retry", "-b", "--cookie", "-c", "--cookie-jar",
          "--resolve", "--cacert", "--cert", "--key", "-E", "-r", "--range"), "curl");
      case "wget" -> upload(args, DraftSafety::wgetUpload, Set.of("-O", "--output-document", "-o", "--output-file",
          "-T", "--timeout", "-t", "--tries", "-U", "--user-agent", "--header", "-P", "--directory-prefix",
          "--method", "--user", "--password"), "wget");
      default -> {
        if (REMOTE_COPY.contains(program) && args.stream().anyMatch(a -> !a.startsWith("-")
            && a.matches("(?:[^@/\\s]+@)?[^/\\s]+:.*") && !loopback(a.replaceAll("^[^@]*@", "").split(":")[0]))) {
          yield "copies files to a remote host with " + program + " (exfiltration)";
        }
        if (SOCKET_TOOLS.contains(program) && args.stream().anyMatch(a -> !a.startsWith("-") && !a.matches("\\d+")
            && !loopback(a))) {
          yield "opens a network connection to a remote host with " + program + " (exfiltration)";
        }
        yield null;
      }
    };
  }

  private static String upload(List<String> args, java.util.function.Predicate<String> isUpload,
      Set<String> flagsWithValue, String program) {
    boolean uploads = false;
    List<String> targets = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.isEmpty()) {
        continue;
      }
      if (isUpload.test(arg)) {
        uploads = true;
        if (!arg.contains("=") && !valueAttached(arg)) {
          i++;
        }
      } else if (arg.startsWith("@")) {
        continue;
      } else if (arg.startsWith("-")) {
        if (flagsWithValue.contains(arg)) {
          i++;
        }
      } else {
        targets.add(arg);
      }
    }
    if (!uploads) {
      return null;
    }
    boolean allLoopback = !targets.isEmpty() && targets.stream().allMatch(t -> loopback(host(t)));
    return allLoopback ? null : "uploads data with " + program + " to a host other than localhost (exfiltration)";
  }

  /** {@code -d@file} and {@code -sd@file} carry their value; {@code -d} and {@code -sd} take the next word. */
  private static boolean valueAttached(String arg) {
    if (arg.startsWith("--")) {
      return false;
    }
    Matcher m = SHORT_UPLOAD.matcher(arg);
    return m.find() && m.end() < arg.length();
  }

  private static boolean curlUpload(String arg) {
    String lower = arg.toLowerCase(Locale.ROOT);
    if (lower.startsWith("--")) {
      return lower.startsWith("--data") || lower.startsWith("--form") || lower.startsWith("--upload-file")
          || lower.startsWith("--json") || lower.startsWith("--post");
    }
    // short flags may be combined (-sd @file) or carry their value (-d@file)
    return SHORT_UPLOAD.matcher(arg).find();
  }

  private static boolean wgetUpload(String arg) {
    String lower = arg.toLowerCase(Locale.ROOT);
    return lower.startsWith("--post-data") || lower.startsWith("--post-file") || lower.startsWith("--body-data")
        || lower.startsWith("--body-file") || lower.matches("--method=(?:post|put|patch)");
  }

  private static String host(String target) {
    Matcher m = URL_HOST.matcher(target.trim());
    return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "";
  }

  private static boolean loopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return LOOPBACK.contains(h) || h.startsWith("127.");
  }

  private static void collect(Object value, List<String> out) {
    if (value instanceof java.util.Map<?, ?> map) {
      map.values().forEach(v -> collect(v, out));
    } else if (value instanceof Iterable<?> iterable) {
      iterable.forEach(v -> collect(v, out));
    } else if (value instanceof CharSequence text) {
      out.add(text.toString());
    }
  }

  private static String quoted(String value) {
    return "\"" + value.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "\"";
  }
}
