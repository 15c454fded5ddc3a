package dev.reflex.adapters.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reflex.adapters.files.internal.ParameterValues;
import dev.reflex.domain.model.ExecutionPass;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.ExecutionReport.Mode;
import dev.reflex.domain.model.ExecutionReport.StepResult;
import dev.reflex.domain.model.ExecutionReport.StepResult.Status;
import dev.reflex.domain.model.ExecutionRun;
import dev.reflex.domain.model.Playbook;
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
 * JSON callback. The steps run as one play (tasks hand each other registered variables); the
 * verification and the rollbacks the use case asks for run as passes of their own.
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
  public Mode mode() {
    return config.mode();
  }

  /** An Ansible play's tasks hand each other registered variables: its steps run as one pass. */
  @Override
  public boolean runsStepsOneAtATime(Playbook playbook) {
    return false;
  }

  /**
   * Runs the pass with one {@code ansible-playbook} process and finishes: the steps with
   * {@code --tags remediate} (which also runs each step's own verification, a remediate task that
   * follows its step: a failing one stops the play there), the verification with
   * {@code --tags verify}, a step's own verification alone with its {@code verify_step_<n>} tag
   * (rendered playbooks), rollbacks with the per-step rollback tags of a rendered playbook (a
   * repository playbook has only its whole {@code rollback} pass, which is run then, and the
   * results say so).
   */
  @Override
  public ExecutionRun start(ExecutionPass pass) {
    Playbook playbook = pass.playbook();
    Mode mode = config.mode();
    ParameterValues values = ParameterValues.resolve(playbook.parameters(), pass.parameters());
    if (!values.ok()) {
      return notRun(pass, "Not run: " + String.join("; ", values.problems()));
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
      Selection selection = select(pass, content);
      if (selection.tags() == null) {
        return notRun(pass, "Not run: " + selection.note());
      }
      Run run = run(dir, playbookFile, varsFile, selection.tags(), selection.startAt());
      List<StepResult> results = new ArrayList<>();
      boolean failed = false;
      for (ExecutionPass.Action action : pass.actions()) {
        StepResult result = failed ? new StepResult(action.name(), action.risk(), Status.SKIPPED, "not reached")
            : result(action.name(), action.risk(), run.tasks().get(action.name()), mode);
        if (selection.note() != null && result.status() != Status.SKIPPED) {
          result = new StepResult(result.name(), result.risk(), result.status(), result.detail() + " (" + selection.note() + ")");
        }
        failed |= result.status() == Status.FAILED;
        results.add(result);
      }
      if (!failed && (run.exitCode() != 0 || run.timedOut())) {
        // the play failed outside the requested tasks (a pre-task, a timeout): the first action carries it
        ExecutionPass.Action first = pass.actions().get(0);
        results.set(0, new StepResult(first.name(), first.risk(), Status.FAILED,
            run.timedOut() ? "timed out after " + config.timeout().toSeconds() + "s and was stopped" : run.output()));
        for (int i = 1; i < results.size(); i++) {
          results.set(i, new StepResult(results.get(i).name(), results.get(i).risk(), Status.SKIPPED, "not reached"));
        }
        failed = true;
      }
      return ExecutionRun.finished(results, Redactor.redactAndTruncate(summary(playbook, pass, mode, run, failed),
          OUTPUT_LIMIT));
    } catch (IOException e) {
      return notRun(pass, "Not run: cannot prepare the run: " + Redactor.redact(e.getMessage()));
    } finally {
      deleteQuietly(dir);
    }
  }

  private static ExecutionRun notRun(ExecutionPass pass, String why) {
    ExecutionPass.Action first = pass.actions().get(0);
    List<StepResult> results = new ArrayList<>();
    results.add(new StepResult(first.name(), first.risk(), Status.FAILED, why));
    return ExecutionRun.finished(results, why);
  }

  /**
   * The tags (and the task to start at) that select the pass's actions in the play, as
   * {@code ansible-playbook --tags} and {@code --start-at-task} take them; {@code tags} is
   * {@code null} when they cannot be selected ({@code note} says why).
   *
   * @param startAt the first task to run, or {@code null} for the first one the tags select
   * @param note said of every result when the selection is wider than the pass (a repository
   *     playbook's whole rollback pass) or impossible, else {@code null}
   */
  public record Selection(String tags, String startAt, String note) {}

  /**
   * How a pass selects its tasks in a play, wherever {@code ansible-playbook} runs (here, or on an
   * instance through Systems Manager): {@code remediate} (from the pass's first step), {@code verify},
   * or the per-step rollback tags of a rendered playbook, else the whole {@code rollback} pass.
   *
   * @param content the play's {@code playbook.yml}; only a rollback pass reads it, and content that
   *     cannot be read (empty, unknown) selects the whole rollback pass
   */
  public static Selection select(ExecutionPass pass, String content) {
    Playbook playbook = pass.playbook();
    return switch (pass.purpose()) {
      case REMEDIATE -> {
        boolean fromFirst = pass.actions().get(0).action().equals(playbook.steps().get(0).action());
        yield new Selection(PlaybookYaml.REMEDIATE, fromFirst ? null : pass.actions().get(0).name(), null);
      }
      case VERIFY -> {
        ExecutionPass.Action check = pass.actions().get(0);
        if (check.action().equals(playbook.verification())) {
          yield new Selection(PlaybookYaml.VERIFY, null, null);
        }
        List<PlaybookYaml.AnsibleTask> tasks = tasks(content);
        for (int i = 0; i < playbook.steps().size(); i++) {
          String tag = PlaybookYaml.verifyStepTag(i);
          if (check.action().equals(playbook.steps().get(i).verification())
              && tasks.stream().anyMatch(t -> t.tagged(tag))) {
            yield new Selection(tag, null, null);
          }
        }
        yield new Selection(null, null, "the play has no tag that selects \"" + check.name() + "\" alone; it runs"
            + " with the steps");
      }
      case ROLLBACK -> {
        List<PlaybookYaml.AnsibleTask> tasks = tasks(content);
        List<String> tags = new ArrayList<>();
        for (ExecutionPass.Action action : pass.actions()) {
          String tag = null;
          for (int i = playbook.steps().size() - 1; i >= 0; i--) {
            if (action.action().equals(playbook.steps().get(i).rollback())) {
              String candidate = PlaybookYaml.rollbackTag(i);
              if (tasks.stream().anyMatch(t -> t.tagged(candidate))) {
                tag = candidate;
              }
              break;
            }
          }
          if (tag == null) {
            yield new Selection(PlaybookYaml.ROLLBACK, null, "the playbook's whole rollback pass ran");
          }
          tags.add(tag);
        }
        yield new Selection(String.join(",", tags), null, null);
      }
    };
  }

  private static List<PlaybookYaml.AnsibleTask> tasks(String content) {
    try {
      return PlaybookYaml.tasks(content, "playbook.yml");
    } catch (CatalogException e) {
      return List.of();
    }
  }

  private String summary(Playbook playbook, ExecutionPass pass, Mode mode, Run run, boolean failed) {
    String what = "ansible-playbook " + (mode == Mode.CHECK ? "(check mode) " : "") + "ran "
        + pass.purpose().name().toLowerCase(java.util.Locale.ROOT) + " of " + playbook.id() + " "
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

  private Run run(Path dir, Path playbookFile, Path varsFile, String tags, String startAt) throws IOException {
    List<String> argv = new ArrayList<>(List.of(config.ansiblePlaybook(), "-i", "localhost,", "-c", "local",
        "--tags", tags, "-e", "@" + varsFile));
    if (startAt != null) {
      argv.add("--start-at-task");
      argv.add(startAt);
    }
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
