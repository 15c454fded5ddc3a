package dev.reflex.adapters.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Systems Manager Run Command does with a Command document's shell step, on this machine:
 * every parameter is checked against the document (unknown names, missing values, allowedValues,
 * allowedPattern), defaults fill the gaps, then each {@code {{ Name }}} of the script is replaced by
 * the value as plain text and the script runs with bash in the folder the content was downloaded to.
 *
 * <p>allowedPattern is applied with {@code find()}, the lenient reading: with {@code ^...$} anchors
 * Java's {@code $} also matches before a final line break, so a script that is safe here is safe
 * under a stricter reading too.
 */
final class LocalRunCommand {

  static final Path REPOSITORY = Path.of(System.getProperty("reflex.home", "../..")).toAbsolutePath().normalize();
  static final Path DOCUMENT = REPOSITORY.resolve("infra/ssm/reflex-apply-ansible-pass.yml");

  private static final Pattern REFERENCE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

  record Result(int exitCode, String stdout, String stderr) {}

  private final JsonNode document;

  private LocalRunCommand(JsonNode document) {
    this.document = document;
  }

  static LocalRunCommand load(Path file) {
    try {
      return new LocalRunCommand(new YAMLMapper().readTree(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JsonNode document() {
    return document;
  }

  /** The document's declared parameters, by name. */
  Map<String, JsonNode> parameters() {
    Map<String, JsonNode> parameters = new LinkedHashMap<>();
    document.path("parameters").fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue()));
    return parameters;
  }

  /** The {@code aws:runShellScript} step's commands, one script. */
  String script() {
    for (JsonNode step : document.path("mainSteps")) {
      if (step.path("action").asText().equals("aws:runShellScript")) {
        List<String> lines = new ArrayList<>();
        step.path("inputs").path("runCommand").forEach(line -> lines.add(line.asText()));
        return String.join("\n", lines);
      }
    }
    throw new IllegalStateException("the document has no aws:runShellScript step");
  }

  /** Every {@code {{ Name }}} in the document's steps. */
  List<String> references() {
    List<String> names = new ArrayList<>();
    Matcher matcher = REFERENCE.matcher(document.path("mainSteps").toString());
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  /** SendCommand's {@code Parameters} (name to a list of one string) as plain values. */
  static Map<String, String> values(JsonNode sendCommandParameters) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = sendCommandParameters.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (entry.getValue().size() != 1) {
        throw new IllegalArgumentException(entry.getKey() + ": one value expected, got " + entry.getValue());
      }
      values.put(entry.getKey(), entry.getValue().get(0).asText());
    }
    return values;
  }

  /** Why Systems Manager would refuse these values (InvalidParameters); empty when it would accept them. */
  List<String> problems(Map<String, String> given) {
    List<String> problems = new ArrayList<>();
    Map<String, JsonNode> declared = parameters();
    given.keySet().stream().filter(name -> !declared.containsKey(name))
        .forEach(name -> problems.add(name + " is not a parameter of the document"));
    declared.forEach((name, spec) -> {
      String value = given.get(name);
      if (value == null) {
        if (!spec.has("default")) {
          problems.add(name + " is required");
        }
        return;
      }
      if (spec.has("allowedValues")) {
        List<String> allowed = new ArrayList<>();
        spec.get("allowedValues").forEach(v -> allowed.add(v.asText()));
        if (!allowed.contains(value)) {
          problems.add(name + " is not one of " + allowed);
        }
      }
      if (spec.has("allowedPattern") && !Pattern.compile(spec.get("allowedPattern").asText()).matcher(value).find()) {
        problems.add(name + " does not match its allowedPattern");
      }
    });
    return problems;
  }

  /** The shell script as the agent writes it, after the checks; throws when Systems Manager would refuse. */
  String substituted(Map<String, String> given) {
    List<String> problems = problems(given);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Systems Manager would refuse the command: " + problems);
    }
    Map<String, String> values = new LinkedHashMap<>();
    parameters().forEach((name, spec) -> values.put(name, given.containsKey(name) ? given.get(name)
        : spec.get("default").isTextual() ? spec.get("default").asText() : spec.get("default").toString()));
    Matcher matcher = REFERENCE.matcher(script());
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = values.get(matcher.group(1));
      if (value == null) {
        throw new IllegalStateException("the script refers to an undeclared parameter " + matcher.group(1));
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /** Runs the substituted script with bash in {@code downloads}, as the agent runs it there. */
  Result run(Map<String, String> given, Path downloads, Map<String, String> environment, Duration timeout) {
    try {
      Path script = Files.createTempFile("reflex-ssm-script-", ".sh");
      try {
        Files.writeString(script, substituted(given), StandardCharsets.UTF_8);
        Path stdout = Files.createTempFile("reflex-ssm-stdout-", ".txt");
        Path stderr = Files.createTempFile("reflex-ssm-stderr-", ".txt");
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).directory(downloads.toFile())
            .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
          throw new IllegalStateException("the script did not finish within " + timeout);
        }
        Result result = new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
        return result;
      } finally {
        Files.deleteIfExists(script);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** True when {@code program} is an executable file on PATH. */
  static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
