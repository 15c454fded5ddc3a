package dev.reflex.adapters.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reflex.adapters.files.internal.ParameterValues;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.ExecutionReport.Mode;
import dev.reflex.domain.model.ExecutionReport.StepResult;
import dev.reflex.domain.model.ExecutionReport.StepResult.Status;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.port.Executor;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Runs a playbook with the local {@code ansible-playbook}: check mode unless configured to apply.
 *
 * <p>Parameter values reach Ansible only through a variables file, each value tagged
 * {@code !unsafe} so that Ansible never evaluates a Jinja expression hidden in a label; the
 * command line is an argument list, never a shell string. Per-task results come from Ansible's
 * JSON callback. When a step fails in APPLY mode the rollback tasks of the steps that completed
 * run, last step first.
 */
public final class AnsibleExecutor implements Executor {

  public static final String NAME = "ansible";
  public static final int OUTPUT_LIMIT = 4000;
  private static final int DETAIL_LIMIT = 1000;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param ansiblePlaybook the program, e.g. {@code ansible-playbook} (looked up on PATH)
   * @param mode CHECK (default) or APPLY; DRY_RUN is not this executor's
   * @param timeout for one ansible-playbook run
   * @param workDir where per-run temporary folders go; {@code null} for the system default
   * @param targets value of {@code reflex_targets} (the play's hosts), {@code localhost} by default
   */
  public record Config(String ansiblePlaybook, Mode mode, Duration timeout, Path workDir, String targets) {
    public Config {
      ansiblePlaybook = Objects.requireNonNullElse(ansiblePlaybook, "ansible-playbook");
      mode = Objects.requireNonNullElse(mode, Mode.CHECK);
      if (mode == Mode.DRY_RUN) {
        throw new IllegalArgumentException("the ansible executor runs in CHECK or APPLY mode");
      }
      timeout = Objects.requireNonNullElse(timeout, Duration.ofMinutes(10));
      targets = Objects.requireNonNullElse(targets, "localhost");
      if (!targets.matches("[A-Za-z0-9._:,-]{1,255}")) {
        throw new IllegalArgumentException("targets must be host names separated by commas");
      }
    }

    public static Config checkMode() {
      return new Config(null, Mode.CHECK, null, null, null);
    }
  }

  private final Config config;
  private final Function<Playbook, String> contentSource;
  private final Clock clock;

  /** Check mode, playbooks rendered from the domain model. */
  public AnsibleExecutor() {
    this(Config.checkMode(), playbook -> null, Clock.systemUTC());
  }

  /**
   * @param contentSource the playbook's {@code playbook.yml} as committed (e.g. read from the
   *     repository at the playbook's commit SHA); {@code null} from it means render the playbook
   *     with {@link PlaybookYaml#renderPlaybook}
   */
  public AnsibleExecutor(Config config, Function<Playbook, String> contentSource, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.contentSource = Objects.requireNonNull(contentSource, "contentSource");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** True when {@code ansible-playbook} is an executable file on PATH. */
  public static boolean available() {
    return onPath("ansible-playbook");
  }

  static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ExecutionReport execute(String incidentId, Playbook playbook, Map<String, String> parameters) {
    Instant started = clock.instant();
    Mode mode = config.mode();
    ParameterValues values = ParameterValues.resolve(playbook.parameters(), parameters);
    if (!values.ok()) {
      return report(playbook, mode, false, List.of(), List.of(), started,
          "Not run: " + String.join("; ", values.problems()));
    }
    String content = contentSource.apply(playbook);
    if (content == null) {
      content = PlaybookYaml.renderPlaybook(playbook);
    }
    Path dir = null;
    try {
      dir = privateDirectory();
      Path playbookFile = writePrivate(dir.resolve("playbook.yml"), content);
      Path varsFile = writePrivate(dir.resolve("vars.yml"), varsYaml(values.values()));

      Run run = run(dir, playbookFile, varsFile, "remediate,verify");
      Map<String, JsonNode> byTask = run.tasks();
      List<StepResult> results = new ArrayList<>();
      List<String> notSimulated = new ArrayList<>();
      for (PlaybookStep step : playbook.steps()) {
        StepResult result = result(step.name(), step.declaredRisk(), byTask.get(step.name()), mode);
        results.add(result);
        if (result.status() == Status.NOT_SIMULATED) {
          notSimulated.add(step.name());
        }
      }
      if (playbook.verification() != null) {
        StepResult result = result(playbook.verification().name(), RiskClass.READ_ONLY,
            byTask.get(playbook.verification().name()), mode);
        results.add(result);
        if (result.status() == Status.NOT_SIMULATED) {
          notSimulated.add(result.name());
        }
      }
      boolean failed = run.exitCode() != 0 || results.stream().anyMatch(r -> r.status() == Status.FAILED);
      String summary = summary(playbook, mode, run, failed);

      if (failed && mode == Mode.APPLY) {
        summary += " " + rollBack(playbook, results, content, dir, playbookFile, varsFile);
      }
      return report(playbook, mode, !failed, results, notSimulated, started, summary);
    } catch (IOException e) {
      return report(playbook, mode, false, List.of(), List.of(), started,
          "Not run: cannot prepare the run: " + Redactor.redact(e.getMessage()));
    } finally {
      deleteQuietly(dir);
    }
  }

  private ExecutionReport report(Playbook playbook, Mode mode, boolean success, List<StepResult> steps,
      List<String> notSimulated, Instant started, String summary) {
    return new ExecutionReport(NAME, mode, playbook.id(), playbook.version(), playbook.commitSha(), success, steps,
        notSimulated, started, clock.instant(), Redactor.redactAndTruncate(summary, OUTPUT_LIMIT));
  }

  private String summary(Playbook playbook, Mode mode, Run run, boolean failed) {
    String what = "ansible-playbook " + (mode == Mode.CHECK ? "(check mode) " : "") + "ran " + playbook.id() + " "
        + playbook.version();
    if (run.timedOut()) {
      return what + ": timed out after " + config.timeout().toSeconds() + "s and was stopped. " + run.output();
    }
    if (!failed) {
      return what + ": ok.";
    }
    String firstFailure = run.firstFailure();
    return what + ": failed (exit " + run.exitCode() + ")" + (firstFailure == null ? "" : " at '" + firstFailure + "'")
        + ". " + run.output();
  }

  /** Runs the rollback tasks of the steps that completed, last first; marks them ROLLED_BACK. */
  private String rollBack(Playbook playbook, List<StepResult> results, String content, Path dir, Path playbookFile,
      Path varsFile) throws IOException {
    List<Integer> completed = new ArrayList<>();
    for (int i = 0; i < playbook.steps().size(); i++) {
      if (results.get(i).status() == Status.SUCCEEDED && playbook.steps().get(i).rollback() != null) {
        completed.add(0, i);
      }
    }
    if (completed.isEmpty()) {
      return "No completed step has a rollback.";
    }
    // Per-step tags exist in rendered playbooks; a repository playbook gets its whole rollback pass.
    List<PlaybookYaml.AnsibleTask> tasks;
    try {
      tasks = PlaybookYaml.tasks(content, "playbook.yml");
    } catch (CatalogException e) {
      tasks = List.of();
    }
    List<String> tags = new ArrayList<>();
    for (int i : completed) {
      String tag = PlaybookYaml.rollbackTag(i);
      if (tasks.stream().anyMatch(t -> t.tagged(tag))) {
        tags.add(tag);
      } else {
        tags = List.of(PlaybookYaml.ROLLBACK);
        break;
      }
    }
    Run rollback = run(dir, playbookFile, varsFile, String.join(",", tags));
    boolean ok = rollback.exitCode() == 0 && !rollback.timedOut();
    for (int i : completed) {
      StepResult before = results.get(i);
      String rollbackName = playbook.steps().get(i).rollback().name();
      results.set(i, ok
          ? new StepResult(before.name(), before.risk(), Status.ROLLED_BACK, "rolled back by '" + rollbackName + "'")
          : new StepResult(before.name(), before.risk(), before.status(),
              before.detail() + "; rollback '" + rollbackName + "' failed"));
    }
    return ok ? "Rolled back " + completed.size() + " completed step(s)."
        : "Rollback FAILED (exit " + rollback.exitCode() + "): " + rollback.output();
  }

  private static StepResult result(String name, RiskClass risk, JsonNode hostResult, Mode mode) {
    if (hostResult == null) {
      return new StepResult(name, risk, Status.SKIPPED, "not reached");
    }
    String message = message(hostResult);
    if (hostResult.path("failed").asBoolean(false) || hostResult.path("unreachable").asBoolean(false)) {
      return new StepResult(name, risk, Status.FAILED, message);
    }
    if (hostResult.path("skipped").asBoolean(false)) {
      String reason = hostResult.path("skip_reason").asText(hostResult.path("msg").asText(""));
      if (mode == Mode.CHECK && reason.toLowerCase(java.util.Locale.ROOT).contains("check mode")) {
        return new StepResult(name, risk, Status.NOT_SIMULATED, "not simulated: " + reason);
      }
      return new StepResult(name, risk, Status.SKIPPED, reason);
    }
    String changed = hostResult.path("changed").asBoolean(false) ? "changed" : "ok";
    return new StepResult(name, risk, mode == Mode.CHECK ? Status.SIMULATED : Status.SUCCEEDED,
        (mode == Mode.CHECK ? "check mode: would be " : "") + changed + (message.isEmpty() ? "" : ": " + message));
  }

  private static String message(JsonNode result) {
    StringBuilder text = new StringBuilder();
    for (String field : List.of("msg", "stdout", "stderr")) {
      String value = result.path(field).isTextual() ? result.path(field).asText() : "";
      if (!value.isBlank()) {
        text.append(text.isEmpty() ? "" : " | ").append(value.strip());
      }
    }
    return Redactor.redactAndTruncate(text.toString(), DETAIL_LIMIT);
  }

  // ---------------------------------------------------------------- process

  private record Run(int exitCode, boolean timedOut, Map<String, JsonNode> tasks, String firstFailure, String output) {}

  private Run run(Path dir, Path playbookFile, Path varsFile, String tags) throws IOException {
    List<String> argv = new ArrayList<>(List.of(config.ansiblePlaybook(), "-i", "localhost,", "-c", "local",
        "--tags", tags, "-e", "@" + varsFile));
    if (config.mode() == Mode.CHECK) {
      argv.add("--check");
    }
    argv.add(playbookFile.toString());
    ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile());
    Map<String, String> env = builder.environment();
    env.put("ANSIBLE_STDOUT_CALLBACK", "json");
    env.put("ANSIBLE_NOCOLOR", "1");
    env.put("ANSIBLE_RETRY_FILES_ENABLED", "False");
    env.put("ANSIBLE_LOCALHOST_WARNING", "False");
    env.put("ANSIBLE_INVENTORY_UNPARSED_WARNING", "False");
    env.put("ANSIBLE_LOCAL_TEMP", dir.resolve("tmp").toString());
    Path stdout = dir.resolve("stdout.json");
    Path stderr = dir.resolve("stderr.txt");
    builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    Process process = builder.start();
    process.getOutputStream().close();
    boolean finished;
    try {
      finished = process.waitFor(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finished = false;
    }
    if (!finished) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String out = Files.readString(stdout, StandardCharsets.UTF_8);
    String err = Files.readString(stderr, StandardCharsets.UTF_8);
    Map<String, JsonNode> tasks = new LinkedHashMap<>();
    String firstFailure = null;
    String output = err;
    try {
      JsonNode root = JSON.readTree(out);
      for (JsonNode play : root.path("plays")) {
        for (JsonNode task : play.path("tasks")) {
          String name = task.path("task").path("name").asText();
          JsonNode hosts = task.path("hosts");
          if (hosts.isObject() && hosts.size() > 0) {
            JsonNode result = hosts.elements().next();
            tasks.put(name, result);
            if (firstFailure == null && (result.path("failed").asBoolean(false)
                || result.path("unreachable").asBoolean(false))) {
              firstFailure = name;
              output = message(result) + (err.isBlank() ? "" : "\n" + err);
            }
          }
        }
      }
    } catch (IOException e) {
      output = (out + "\n" + err).strip();
    }
    return new Run(finished ? process.exitValue() : -1, !finished, tasks, firstFailure,
        Redactor.redactAndTruncate(output.strip(), OUTPUT_LIMIT));
  }

  /** YAML variables file; every value {@code !unsafe} so Ansible treats it as data, not a template. */
  private String varsYaml(Map<String, String> values) {
    StringBuilder yaml = new StringBuilder("---\n");
    Map<String, String> all = new HashMap<>(values);
    all.remove("reflex_targets");
    all.forEach((name, value) -> yaml.append(name).append(": !unsafe ").append(quote(value)).append('\n'));
    yaml.append("reflex_targets: ").append(quote(config.targets())).append('\n');
    return yaml.toString();
  }

  /** A YAML double-quoted scalar; every character outside printable ASCII is escaped. */
  static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    value.codePoints().forEach(c -> {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c >= 0x20 && c < 0x7f) {
            out.append((char) c);
          } else if (c <= 0xffff) {
            out.append(String.format("\\u%04x", c));
          } else {
            out.append(String.format("\\U%08x", c));
          }
        }
      }
    });
    return out.append('"').toString();
  }

  private Path privateDirectory() throws IOException {
    if (config.workDir() != null) {
      Files.createDirectories(config.workDir());
    }
    try {
      var owner = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
      return config.workDir() == null ? Files.createTempDirectory("reflex-ansible-", owner)
          : Files.createTempDirectory(config.workDir(), "reflex-ansible-", owner);
    } catch (UnsupportedOperationException e) {
      return config.workDir() == null ? Files.createTempDirectory("reflex-ansible-")
          : Files.createTempDirectory(config.workDir(), "reflex-ansible-");
    }
  }

  static Path writePrivate(Path file, String content) throws IOException {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort: the folder is private to this user
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // best effort
    }
  }
}
