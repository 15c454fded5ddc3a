package dev.reflex.adapters.aws;

import dev.reflex.adapters.files.AnsibleExecutor;
import dev.reflex.adapters.files.Redactor;
import dev.reflex.domain.error.InvalidParameterException;
import dev.reflex.domain.error.PlanRefusedException;
import dev.reflex.domain.error.ReflexException;
import dev.reflex.domain.model.ExecutionPass;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.ExecutionReport.Mode;
import dev.reflex.domain.model.ExecutionReport.StepResult;
import dev.reflex.domain.model.ExecutionReport.StepResult.Status;
import dev.reflex.domain.model.ExecutionRun;
import dev.reflex.domain.model.Parameter;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.StepAction;
import dev.reflex.domain.port.Executor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.CancelCommandRequest;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.CommandInvocation;
import software.amazon.awssdk.services.ssm.model.DescribeInstanceInformationRequest;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationRequest;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.InstanceInformationStringFilter;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;
import software.amazon.awssdk.services.ssm.model.ListCommandInvocationsRequest;
import software.amazon.awssdk.services.ssm.model.ListCommandsRequest;
import software.amazon.awssdk.services.ssm.model.SendCommandRequest;
import software.amazon.awssdk.services.ssm.model.Target;

/**
 * Runs a committed playbook on managed instances with Systems Manager Run Command: the instance
 * downloads the playbook's folder at the approved commit and runs {@code ansible-playbook} locally
 * (check mode when configured).
 *
 * <p>As the workflow's {@link Executor}, each pass is one command: {@link #start} sends it and
 * answers with the command id, {@link #poll(ExecutionPass, String)} looks at it from the workflow's
 * Wait/Choice loop, so that no Lambda waits for minutes. A drafted playbook whose every action is a
 * plain command runs step by step through {@code AWS-RunShellScript}, each value a single-quoted
 * word. Everything else runs as the reviewed Ansible file: with Reflex's pass document configured
 * ({@link SsmExecutorConfig#documentPass()}) each pass selects its tasks by tag as the local
 * {@link AnsibleExecutor} does (steps, verification, rollbacks), the values travelling as base64
 * JSON; without it, {@code AWS-ApplyAnsiblePlaybooks} runs the steps and the verification in one
 * command and cannot select rollback tasks, which are then left to a person.
 * {@link #execute} sends the whole play and waits, for tools and tests.
 *
 * <p>Parameters are visible in the console, ListCommands and CloudTrail: a playbook that needs a
 * secret takes the secret's <em>name</em> as a parameter and reads it on the instance with the
 * instance's role.
 */
public final class SsmExecutor implements Executor {

  public static final String NAME = "ssm";
  /** Characters of command output kept in a report, after redaction. */
  public static final int OUTPUT_LIMIT = 4000;
  public static final String PLAYBOOK_FILE = "playbook.yml";

  private static final Set<String> TERMINAL = Set.of("Success", "Cancelled", "TimedOut", "Failed");
  private static final Set<String> COMMAND_MODULES = Set.of("command", "shell", "raw", "script", "expect");
  /** The pass document's allowedPattern for StartAtTask (and Tags): no quote, backslash or glob. */
  static final Pattern START_AT_TASK = Pattern.compile("^$|^[A-Za-z0-9][A-Za-z0-9 _.,:()/+=@%-]{0,199}$");
  static final Pattern TAGS = Pattern.compile("^[a-z0-9_]+(,[a-z0-9_]+)*$");

  /** Waits between polls; tests pass one that advances a clock instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /**
   * One look at a command.
   *
   * @param status the command's aggregate status: Pending, InProgress, Delayed, Success, Cancelled,
   *     TimedOut, Failed or Cancelling
   * @param report the execution report once {@code terminal}, else {@code null}
   */
  public record Poll(String commandId, String status, boolean terminal, ExecutionReport report) {
    public Poll {
      Objects.requireNonNull(commandId, "commandId");
      Objects.requireNonNull(status, "status");
      if (terminal != (report != null)) {
        throw new IllegalArgumentException("a terminal poll carries a report, a pending one none");
      }
    }
  }

  private final SsmClient ssm;
  private final SsmExecutorConfig config;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RateControlSource rateControl;
  private final Function<Playbook, String> playbookContent;

  public SsmExecutor(SsmClient ssm, SsmExecutorConfig config) {
    this(ssm, config, Clock.systemUTC(), duration -> Thread.sleep(duration.toMillis()));
  }

  public SsmExecutor(SsmClient ssm, SsmExecutorConfig config, Clock clock, Sleeper sleeper) {
    this(ssm, config, clock, sleeper, pass -> Optional.empty(), playbook -> null);
  }

  private SsmExecutor(SsmClient ssm, SsmExecutorConfig config, Clock clock, Sleeper sleeper,
      RateControlSource rateControl, Function<Playbook, String> playbookContent) {
    this.ssm = Objects.requireNonNull(ssm, "ssm");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.rateControl = Objects.requireNonNull(rateControl, "rateControl");
    this.playbookContent = Objects.requireNonNull(playbookContent, "playbookContent");
  }

  /**
   * Systems Manager's rate control for one command: how many targets run it at once and how many
   * may fail before it is not sent to the rest. A {@code null} field keeps the configured value.
   */
  public record RateControl(String maxConcurrency, String maxErrors) {}

  /** Where a pass's rate control comes from, e.g. the policy in force for its incident. */
  @FunctionalInterface
  public interface RateControlSource {
    /** Empty: the configured {@link SsmExecutorConfig#maxConcurrency()} and {@link SsmExecutorConfig#maxErrors()}. */
    Optional<RateControl> forPass(ExecutionPass pass);
  }

  /** This executor with each pass's rate control taken from {@code source} before the configured values. */
  public SsmExecutor withRateControl(RateControlSource source) {
    return new SsmExecutor(ssm, config, clock, sleeper, source, playbookContent);
  }

  /**
   * This executor reading a playbook's {@code playbook.yml} as the instance will download it (at
   * its commit), so that a rollback pass of a rendered playbook selects only the rollbacks asked
   * for by their per-step tags. Without it, or when it answers {@code null} or fails, a rollback
   * pass runs the play's whole {@code rollback} tag, as the local executor does for a repository play.
   */
  public SsmExecutor withPlaybookContent(Function<Playbook, String> source) {
    return new SsmExecutor(ssm, config, clock, sleeper, rateControl, source);
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Sends, then polls every {@code pollInterval} until the command ends or {@code timeout}
   * passes (the command is then cancelled and the report says "timed out").
   *
   * @throws InvalidParameterException before anything is sent, naming the parameter
   * @throws TargetNotFoundException before anything is sent, when no targets rule matches
   */
  public ExecutionReport execute(String incidentId, Playbook playbook, Map<String, String> parameters) {
    Instant started = clock.instant();
    String commandId = send(incidentId, playbook, parameters);
    while (true) {
      Poll poll = poll(commandId, playbook, started);
      if (poll.terminal()) {
        return poll.report();
      }
      try {
        sleeper.sleep(config.pollInterval());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        cancelQuietly(commandId);
        return report(playbook, started, false, List.of(), "Interrupted while waiting for command " + commandId
            + "; it was cancelled.");
      }
    }
  }

  /** {@link #send(String, Playbook, Map, Map)} with the labels recovered from the parameters. */
  public String send(String incidentId, Playbook playbook, Map<String, String> parameters) {
    return send(incidentId, playbook, parameters, null);
  }

  /**
   * Validates everything, then sends one command. Nothing is sent when a check fails.
   *
   * @param labels the incident's labels for the targets mapping; {@code null} to use the
   *     validated parameter values, each under its parameter name and its {@code from_label}
   * @return the command id
   * @throws InvalidParameterException naming the parameter, never echoing its value
   * @throws TargetNotFoundException when no targets rule matches
   * @throws PlanRefusedException when the playbook has no commit to run
   */
  public String send(String incidentId, Playbook playbook, Map<String, String> parameters, Map<String, String> labels) {
    return send(incidentId, playbook, parameters, labels, new RateControl(null, null));
  }

  private String send(String incidentId, Playbook playbook, Map<String, String> parameters, Map<String, String> labels,
      RateControl rate) {
    requireCommit(playbook);
    Map<String, String> values = ExtraVariables.values(playbook, parameters);
    String extraVariables = ExtraVariables.render(playbook, values);
    Targets targets = config.targets().resolve(labels != null ? labels : labelsFrom(playbook, values));

    Map<String, List<String>> documentParameters = new LinkedHashMap<>();
    documentParameters.put("SourceType", List.of(config.source().sourceType()));
    documentParameters.put("SourceInfo", List.of(config.source().sourceInfo(playbook, playbook.commitSha())));
    documentParameters.put("InstallDependencies", List.of("True"));
    documentParameters.put("PlaybookFile", List.of(PLAYBOOK_FILE));
    documentParameters.put("ExtraVariables", List.of(extraVariables));
    documentParameters.put("Check", List.of(config.check() ? "True" : "False"));
    documentParameters.put("Verbose", List.of(config.verbose()));
    documentParameters.put("TimeoutSeconds", List.of(Long.toString(config.timeout().toSeconds())));

    return sendCommand(config.documentAnsible(), documentParameters, targets, rate,
        comment(incidentId, playbook));
  }

  private static void requireCommit(Playbook playbook) {
    Objects.requireNonNull(playbook, "playbook");
    if (playbook.commitSha() == null || !SourceLocation.COMMIT_SHA.matcher(playbook.commitSha()).matches()) {
      throw new PlanRefusedException("playbook " + playbook.id() + " " + playbook.version()
          + " has no commit: Systems Manager runs only committed content; nothing was sent");
    }
  }

  /**
   * Looks at a sent command once: its invocations on every target, and when all have ended (or
   * the timeout has passed since it was requested: it is then cancelled) the execution report.
   */
  public Poll poll(String commandId, Playbook playbook) {
    return poll(commandId, playbook, null);
  }

  private Poll poll(String commandId, Playbook playbook, Instant startedFallback) {
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(playbook, "playbook");
    Look look = look(commandId, startedFallback);
    Command command = look.command();
    if (command != null && look.invocations().isEmpty() && TERMINAL.contains(command.statusAsString())) {
      return terminal(commandId, command.statusAsString(), report(playbook, look.requested(), look.check(), false,
          List.of(), describe(playbook, look.check(), commandId) + ": no instance matched the targets (command "
              + command.statusAsString() + ")."));
    }
    if (look.allEnded() && look.fannedOut()) {
      return terminal(commandId, look.aggregate(), finished(playbook, look.requested(), look.check(), commandId,
          look.invocations(), null));
    }
    if (look.late()) {
      cancelQuietly(commandId);
      String why = "timed out after " + config.timeout().toSeconds() + "s; the command was cancelled";
      return terminal(commandId, "TimedOut", finished(playbook, look.requested(), look.check(), commandId,
          look.invocations(), why));
    }
    return new Poll(commandId, look.aggregate(), false, null);
  }

  /** One look at a command: ListCommands, then GetCommandInvocation for each instance it reached. */
  private record Look(Command command, Instant requested, boolean check, boolean late,
      Map<String, Invocation> invocations, boolean allEnded, boolean fannedOut, String aggregate) {

    /** A parameter the command was sent with, {@code null} when unknown. */
    String parameter(String name) {
      return command == null ? null : first(command.parameters().get(name));
    }
  }

  private Look look(String commandId, Instant startedFallback) {
    Instant now = clock.instant();
    List<Command> commands = ssm.listCommands(ListCommandsRequest.builder().commandId(commandId).build()).commands();
    Command command = commands.isEmpty() ? null : commands.get(0);
    Instant requested = command != null && command.requestedDateTime() != null ? command.requestedDateTime()
        : startedFallback;
    boolean check = command == null ? config.check()
        : "True".equalsIgnoreCase(first(command.parameters().get("Check")));
    boolean late = requested != null && now.isAfter(requested.plus(config.timeout()));

    List<String> instances = new ArrayList<>();
    if (command != null && command.hasInstanceIds() && !command.instanceIds().isEmpty()) {
      instances.addAll(command.instanceIds());
    } else if (command != null) {
      for (CommandInvocation invocation : ssm.listCommandInvocations(
          ListCommandInvocationsRequest.builder().commandId(commandId).maxResults(50).build()).commandInvocations()) {
        if (!instances.contains(invocation.instanceId())) {
          instances.add(invocation.instanceId());
        }
      }
    }

    Map<String, Invocation> invocations = new LinkedHashMap<>();
    for (String instance : instances) {
      invocations.put(instance, invocation(commandId, instance));
    }
    boolean allEnded = invocations.values().stream().allMatch(Invocation::ended);
    boolean fannedOut = command != null && !instances.isEmpty()
        && (command.targetCount() == null || instances.size() >= command.targetCount());
    return new Look(command, requested, check, late, invocations, allEnded, fannedOut, aggregate(command, invocations));
  }

  // ---------------------------------------------------------------- the Executor port: passes

  @Override
  public Mode mode() {
    return config.check() ? Mode.CHECK : Mode.APPLY;
  }

  /**
   * Step by step (one shell command each) for a drafted playbook of plain commands; otherwise the
   * reviewed Ansible file runs its steps as one pass (tasks hand each other registered variables).
   */
  @Override
  public boolean runsStepsOneAtATime(Playbook playbook) {
    return shellPath(playbook);
  }

  private boolean shellPath(Playbook playbook) {
    return config.shellCommands() && playbook.source() != PlaybookSource.CATALOG && ShellCommand.plain(playbook);
  }

  /**
   * Sends the pass as one command and answers with its id: {@code AWS-RunShellScript} with the
   * step's quoted command line on the shell path; otherwise the playbook at its approved commit,
   * through the pass document with the pass's tags when configured, else through
   * {@code AWS-ApplyAnsiblePlaybooks}. Anything refused before sending (a parameter, no targets
   * rule, no commit) finishes the pass at once with the first action FAILED and the reason;
   * nothing was sent.
   */
  @Override
  public ExecutionRun start(ExecutionPass pass) {
    try {
      if (shellPath(pass.playbook())) {
        return startShell(pass);
      }
      return config.documentPass() != null ? startPass(pass) : startAnsible(pass);
    } catch (ReflexException e) {
      return failedFirst(pass, e.getMessage());
    }
  }

  @Override
  public ExecutionRun poll(ExecutionPass pass, String handle) {
    if (shellPath(pass.playbook())) {
      return pollShell(pass, handle);
    }
    if (config.documentPass() != null) {
      return pollPass(pass, handle);
    }
    Poll poll = poll(handle, pass.playbook());
    return poll.terminal() ? ExecutionRun.finished(poll.report().steps(), poll.report().summary())
        : ExecutionRun.running(handle, poll.status());
  }

  @Override
  public void cancel(ExecutionPass pass, String handle) {
    cancelQuietly(handle);
  }

  /**
   * With {@code checkTargetHealth}: every targeted instance must be registered with Systems Manager
   * and online (DescribeInstanceInformation, PingStatus Online).
   */
  @Override
  public Optional<String> unhealthyTargets(ExecutionPass pass) {
    if (!config.checkTargetHealth()) {
      return Optional.empty();
    }
    Targets targets;
    try {
      Map<String, String> labels = pass.labels().isEmpty()
          ? labelsFrom(pass.playbook(), ExtraVariables.values(pass.playbook(), pass.parameters())) : pass.labels();
      targets = config.targets().resolve(labels);
    } catch (ReflexException e) {
      return Optional.of(e.getMessage());
    }
    List<InstanceInformationStringFilter> filters = switch (targets) {
      case Targets.InstanceIds ids -> List.of(InstanceInformationStringFilter.builder().key("InstanceIds")
          .values(ids.ids()).build());
      case Targets.Tags tags -> tags.tags().entrySet().stream().map(e -> InstanceInformationStringFilter.builder()
          .key("tag:" + e.getKey()).values(e.getValue()).build()).toList();
    };
    Map<String, String> ping = new LinkedHashMap<>();
    for (InstanceInformation info : ssm.describeInstanceInformation(DescribeInstanceInformationRequest.builder()
        .filters(filters).maxResults(50).build()).instanceInformationList()) {
      ping.put(info.instanceId(), info.pingStatusAsString());
    }
    List<String> problems = new ArrayList<>();
    if (targets instanceof Targets.InstanceIds ids) {
      for (String id : ids.ids()) {
        String status = ping.get(id);
        if (status == null) {
          problems.add(id + " is not a managed instance");
        } else if (!"Online".equals(status)) {
          problems.add(id + " is " + status);
        }
      }
    } else if (ping.isEmpty()) {
      problems.add("no managed instance has " + targets.describe());
    } else {
      ping.forEach((id, status) -> {
        if (!"Online".equals(status)) {
          problems.add(id + " is " + status);
        }
      });
    }
    return problems.isEmpty() ? Optional.empty()
        : Optional.of("targets not healthy: " + String.join(", ", problems));
  }

  private ExecutionRun startAnsible(ExecutionPass pass) {
    Playbook playbook = pass.playbook();
    return switch (pass.purpose()) {
      case REMEDIATE -> {
        List<String> all = ExecutionPass.forward(playbook, 0, playbook.steps().size(), true).stream()
            .map(ExecutionPass.Action::name).toList();
        if (!pass.actionNames().equals(all)) {
          yield failedFirst(pass, "Systems Manager's Ansible document runs the whole play; it cannot start at"
              + " step \"" + pass.actions().get(0).name() + "\"; nothing was sent");
        }
        String commandId = send(pass.incidentId(), playbook, pass.parameters(),
            pass.labels().isEmpty() ? null : pass.labels(), rateFor(pass));
        yield ExecutionRun.running(commandId, "Pending");
      }
      case VERIFY -> ExecutionRun.finished(List.of(new StepResult(pass.actions().get(0).name(), RiskClass.READ_ONLY,
          Status.SKIPPED, "verification: it runs with the play's command")), "");
      case ROLLBACK -> failedFirst(pass, "not run: Systems Manager's Ansible document cannot select rollback tasks;"
          + " a person must run \"" + pass.actions().get(0).name() + "\"");
    };
  }

  /**
   * One pass through Reflex's pass document: the playbook's folder at its commit, the pass's tags
   * (and first task) as the local executor selects them, the values as base64 JSON.
   */
  private ExecutionRun startPass(ExecutionPass pass) {
    Playbook playbook = pass.playbook();
    requireCommit(playbook);
    Map<String, String> values = ExtraVariables.values(playbook, pass.parameters());
    String variables = PassVariables.encode(values);
    // the play's own text is read only where its tags decide: rollbacks and a step's own check
    boolean readsPlay = pass.purpose() == ExecutionPass.Purpose.ROLLBACK
        || pass.purpose() == ExecutionPass.Purpose.VERIFY
        && !pass.actions().get(0).action().equals(playbook.verification());
    AnsibleExecutor.Selection selection = AnsibleExecutor.select(pass, readsPlay ? contentOf(playbook) : "");
    if (selection.tags() == null) {
      throw new PlanRefusedException(selection.note() + "; nothing was sent");
    }
    if (!TAGS.matcher(selection.tags()).matches()) {
      throw new PlanRefusedException("the tags of this pass are not ones the pass document accepts; nothing was sent");
    }
    if (selection.startAt() != null && !START_AT_TASK.matcher(selection.startAt()).matches()) {
      throw new PlanRefusedException("task \"" + selection.startAt() + "\" cannot be the document's StartAtTask"
          + " (a letter or digit, then letters, digits, spaces and _ . , : ( ) / + = @ % - only); nothing was sent");
    }
    Targets targets = config.targets().resolve(labelsFor(pass, values));

    Map<String, List<String>> documentParameters = new LinkedHashMap<>();
    documentParameters.put("SourceType", List.of(config.source().sourceType()));
    documentParameters.put("SourceInfo", List.of(config.source().sourceInfo(playbook, playbook.commitSha())));
    documentParameters.put("InstallDependencies", List.of("True"));
    documentParameters.put("PlaybookFile", List.of(PLAYBOOK_FILE));
    documentParameters.put("Tags", List.of(selection.tags()));
    if (selection.startAt() != null) {
      documentParameters.put("StartAtTask", List.of(selection.startAt()));
    }
    documentParameters.put("Variables", List.of(variables));
    documentParameters.put("Check", List.of(config.check() ? "True" : "False"));
    documentParameters.put("Verbose", List.of(config.verbose()));
    documentParameters.put("TimeoutSeconds", List.of(Long.toString(config.timeout().toSeconds())));
    RateControl rate = rateFor(pass);
    String commandId = sendCommand(config.documentPass(), documentParameters, targets, rate,
        comment(pass.incidentId(), playbook));
    return ExecutionRun.running(commandId, "Pending");
  }

  /** The playbook as the instance will download it; empty when unknown (the whole rollback tag then runs). */
  private String contentOf(Playbook playbook) {
    try {
      return Objects.requireNonNullElse(playbookContent.apply(playbook), "");
    } catch (RuntimeException e) {
      return "";
    }
  }

  /**
   * One look at a pass sent through the pass document: when it has ended, one result per action of
   * the pass from Ansible's output, stopping at the first failure. A command that failed outside
   * the pass's own tasks (the download, the parameter check, a timeout) fails the first action.
   */
  private ExecutionRun pollPass(ExecutionPass pass, String commandId) {
    Look look = look(commandId, null);
    String tags = look.parameter("Tags");
    String what = "Systems Manager " + (look.check() ? "(check mode) " : "") + "ran "
        + pass.purpose().name().toLowerCase(Locale.ROOT) + " of " + pass.playbook().id() + " "
        + pass.playbook().version() + " (command " + commandId + (tags == null ? "" : ", tags " + tags) + ")";
    Optional<ExecutionRun> early = unmatchedOrRunning(pass, commandId, look, what);
    if (early.isPresent()) {
      return early.get();
    }
    boolean done = look.allEnded() && look.fannedOut();
    Map<String, AnsibleOutput> outputs = new LinkedHashMap<>();
    look.invocations().forEach((instance, invocation) -> outputs.put(instance, AnsibleOutput.parse(invocation.stdout())));
    // the play's whole rollback tag ran: the results say so, in the local executor's words
    String note = pass.purpose() == ExecutionPass.Purpose.ROLLBACK && "rollback".equals(tags)
        ? AnsibleExecutor.select(pass, "").note() : null;

    List<StepResult> results = new ArrayList<>();
    boolean failed = false;
    for (ExecutionPass.Action action : pass.actions()) {
      StepResult result = failed ? new StepResult(action.name(), action.risk(), Status.SKIPPED, "not reached")
          : stepResult(action.action(), action.risk(), outputs, look.check());
      if (note != null && result.status() != Status.SKIPPED) {
        result = new StepResult(result.name(), result.risk(), result.status(), result.detail() + " (" + note + ")");
      }
      failed |= result.status() == Status.FAILED;
      results.add(result);
    }
    String timedOut = done ? null : "timed out after " + config.timeout().toSeconds() + "s; the command was cancelled";
    boolean commandOk = done && look.invocations().values().stream().allMatch(i -> i.status().equals("Success"));
    String failures = failures(look.invocations(), outputs);
    if (!failed && !commandOk) {
      ExecutionPass.Action first = pass.actions().get(0);
      results.set(0, new StepResult(first.name(), first.risk(), Status.FAILED, Redactor.redactAndTruncate(
          timedOut != null ? timedOut : failures.strip(), 1000)));
      for (int i = 1; i < results.size(); i++) {
        results.set(i, new StepResult(results.get(i).name(), results.get(i).risk(), Status.SKIPPED, "not reached"));
      }
      failed = true;
    }
    String summary = what + " on " + look.invocations().size() + " instance(s): "
        + (timedOut != null ? timedOut + "." : failed ? "failed." : "ok.") + failures;
    return ExecutionRun.finished(results, Redactor.redactAndTruncate(summary, OUTPUT_LIMIT));
  }

  private RateControl rateFor(ExecutionPass pass) {
    return rateControl.forPass(pass).orElse(new RateControl(null, null));
  }

  private ExecutionRun startShell(ExecutionPass pass) {
    Playbook playbook = pass.playbook();
    if (config.check()) {
      return ExecutionRun.finished(pass.actions().stream().map(a -> new StepResult(a.name(), a.risk(),
          Status.NOT_SIMULATED, "not simulated: check mode cannot simulate a shell command; nothing was sent"))
          .toList(), "Systems Manager (check mode) sent nothing for " + String.join(", ", pass.actionNames()));
    }
    RateControl rate = rateFor(pass);
    Map<String, String> values = ShellCommand.values(playbook, pass.parameters());
    Set<String> declared = playbook.parameters().stream().map(Parameter::name).collect(Collectors.toSet());
    List<String> commands = new ArrayList<>();
    commands.add("set -eu");
    for (ExecutionPass.Action action : pass.actions()) {
      commands.add(ShellCommand.line(ShellCommand.argv(action.action(), declared).orElseThrow(), values));
    }
    Targets targets = config.targets().resolve(labelsFor(pass, values));
    Map<String, List<String>> documentParameters = new LinkedHashMap<>();
    documentParameters.put("commands", commands);
    documentParameters.put("executionTimeout", List.of(Long.toString(config.timeout().toSeconds())));
    String commandId = sendCommand(config.documentShell(), documentParameters, targets, rate,
        comment(pass.incidentId(), playbook));
    return ExecutionRun.running(commandId, "Pending");
  }

  /** Sends one command with the pass's rate control and targets; its command id. */
  private String sendCommand(String document, Map<String, List<String>> parameters, Targets targets, RateControl rate,
      String comment) {
    SendCommandRequest.Builder request = SendCommandRequest.builder()
        .documentName(document)
        .parameters(parameters)
        .maxConcurrency(Objects.requireNonNullElse(rate.maxConcurrency(), config.maxConcurrency()))
        .maxErrors(Objects.requireNonNullElse(rate.maxErrors(), config.maxErrors()))
        .comment(comment);
    target(request, targets);
    return ssm.sendCommand(request.build()).command().commandId();
  }

  /**
   * What a look at a pass's command says before its output is read: no instance matched (the first
   * action fails), or still running (and not yet late). A late command is cancelled here and its
   * output read as it stands.
   */
  private Optional<ExecutionRun> unmatchedOrRunning(ExecutionPass pass, String commandId, Look look, String what) {
    if (look.command() != null && look.invocations().isEmpty() && TERMINAL.contains(look.command().statusAsString())) {
      return Optional.of(failedFirst(pass, what + ": no instance matched the targets (command "
          + look.command().statusAsString() + ")"));
    }
    boolean done = look.allEnded() && look.fannedOut();
    if (!done && !look.late()) {
      return Optional.of(ExecutionRun.running(commandId, look.aggregate()));
    }
    if (!done) {
      cancelQuietly(commandId);
    }
    return Optional.empty();
  }

  private ExecutionRun pollShell(ExecutionPass pass, String commandId) {
    Look look = look(commandId, null);
    String what = "Systems Manager ran " + String.join(", ", pass.actionNames()) + " (command " + commandId + ")";
    Optional<ExecutionRun> early = unmatchedOrRunning(pass, commandId, look, what);
    if (early.isPresent()) {
      return early.get();
    }
    boolean done = look.allEnded() && look.fannedOut();
    boolean ok = done && look.invocations().values().stream().allMatch(i -> i.status().equals("Success"));
    List<String> details = new ArrayList<>();
    look.invocations().forEach((instance, invocation) -> {
      String output = invocation.status().equals("Success") || invocation.stderr().isBlank()
          ? invocation.stdout() : invocation.stderr();
      String text = invocation.status() + (invocation.responseCode() != null && invocation.responseCode() >= 0
          ? " (exit " + invocation.responseCode() + ")" : "")
          + (output.isBlank() ? "" : ": " + tail(output.strip(), 500));
      details.add(look.invocations().size() == 1 ? text : instance + ": " + text);
    });
    String detail = Redactor.redactAndTruncate((done ? "" : "timed out after " + config.timeout().toSeconds()
        + "s; the command was cancelled; ") + String.join("; ", details), 1000);
    List<StepResult> results = pass.actions().stream().map(a -> new StepResult(a.name(), a.risk(),
        ok ? Status.SUCCEEDED : Status.FAILED, detail)).toList();
    return ExecutionRun.finished(results, Redactor.redactAndTruncate(what + " on " + look.invocations().size()
        + " instance(s): " + (ok ? "ok." : done ? "failed." : "timed out."), OUTPUT_LIMIT));
  }

  private static ExecutionRun failedFirst(ExecutionPass pass, String why) {
    ExecutionPass.Action first = pass.actions().get(0);
    return ExecutionRun.finished(List.of(new StepResult(first.name(), first.risk(), Status.FAILED, why)), why);
  }

  private static Map<String, String> labelsFor(ExecutionPass pass, Map<String, String> values) {
    return pass.labels().isEmpty() ? labelsFrom(pass.playbook(), values) : pass.labels();
  }

  private static void target(SendCommandRequest.Builder request, Targets targets) {
    switch (targets) {
      case Targets.InstanceIds ids -> request.instanceIds(ids.ids());
      case Targets.Tags tags -> request.targets(tags.tags().entrySet().stream()
          .map(e -> Target.builder().key("tag:" + e.getKey()).values(e.getValue()).build())
          .toList());
    }
  }

  // ---------------------------------------------------------------- invocations

  private record Invocation(String status, String stdout, String stderr, Integer responseCode) {
    boolean ended() {
      return TERMINAL.contains(status);
    }
  }

  private Invocation invocation(String commandId, String instanceId) {
    try {
      GetCommandInvocationResponse response = ssm.getCommandInvocation(GetCommandInvocationRequest.builder()
          .commandId(commandId).instanceId(instanceId).build());
      return new Invocation(response.statusAsString(), Objects.requireNonNullElse(response.standardOutputContent(), ""),
          Objects.requireNonNullElse(response.standardErrorContent(), ""), response.responseCode());
    } catch (InvocationDoesNotExistException e) {
      return new Invocation("Pending", "", "", null); // normal right after SendCommand
    }
  }

  private static String aggregate(Command command, Map<String, Invocation> invocations) {
    if (invocations.isEmpty()) {
      return command == null ? "Pending" : command.statusAsString();
    }
    for (String status : List.of("Failed", "TimedOut", "Cancelled", "Cancelling", "InProgress", "Delayed", "Pending")) {
      if (invocations.values().stream().anyMatch(i -> i.status().equals(status))) {
        return status;
      }
    }
    return "Success";
  }

  private void cancelQuietly(String commandId) {
    try {
      ssm.cancelCommand(CancelCommandRequest.builder().commandId(commandId).build());
    } catch (SdkException e) {
      // the command may have ended meanwhile; the report says it timed out either way
    }
  }

  // ---------------------------------------------------------------- report

  private ExecutionReport finished(Playbook playbook, Instant requested, boolean check, String commandId,
      Map<String, Invocation> invocations, String timedOut) {
    Map<String, AnsibleOutput> outputs = new LinkedHashMap<>();
    invocations.forEach((instance, invocation) -> outputs.put(instance, AnsibleOutput.parse(invocation.stdout())));

    List<StepResult> steps = new ArrayList<>();
    for (PlaybookStep step : playbook.steps()) {
      steps.add(stepResult(step.action(), step.declaredRisk(), outputs, check));
      if (step.verification() != null) {
        // a step's own verification runs in the play right after it, in the pass's order
        steps.add(stepResult(step.verification(), RiskClass.READ_ONLY, outputs, check));
      }
    }
    if (playbook.verification() != null) {
      StepResult verification = stepResult(playbook.verification(), RiskClass.READ_ONLY, outputs, check);
      steps.add(new StepResult(verification.name(), verification.risk(), verification.status(),
          "verification: " + verification.detail()));
    }
    boolean success = timedOut == null && !invocations.isEmpty()
        && invocations.values().stream().allMatch(i -> i.status().equals("Success"))
        && steps.stream().noneMatch(s -> s.status() == Status.FAILED);

    StringBuilder summary = new StringBuilder(describe(playbook, check, commandId));
    summary.append(" on ").append(invocations.size()).append(" instance(s): ");
    if (timedOut != null) {
      summary.append(timedOut).append('.');
    } else {
      summary.append(success ? "ok." : "failed.");
    }
    summary.append(failures(invocations, outputs));
    return report(playbook, requested, check, success, steps, summary.toString());
  }

  /** A line per instance whose invocation did not succeed: its status, exit code, failed task and output tail. */
  private static String failures(Map<String, Invocation> invocations, Map<String, AnsibleOutput> outputs) {
    StringBuilder text = new StringBuilder();
    invocations.forEach((instance, invocation) -> {
      if (!invocation.status().equals("Success")) {
        text.append("\n").append(instance).append(": ").append(invocation.status());
        if (invocation.responseCode() != null && invocation.responseCode() >= 0) {
          text.append(" (exit ").append(invocation.responseCode()).append(')');
        }
        outputs.get(instance).firstFailure().ifPresent(task -> text.append(" at '").append(task).append('\''));
        String output = !invocation.stderr().isBlank() ? invocation.stderr() : invocation.stdout();
        if (!output.isBlank()) {
          text.append("\n").append(Redactor.redactAndTruncate(tail(output.strip(), OUTPUT_LIMIT), OUTPUT_LIMIT / 2));
        }
      }
    });
    return text.toString();
  }

  private static StepResult stepResult(StepAction action, RiskClass risk, Map<String, AnsibleOutput> outputs,
      boolean check) {
    boolean command = COMMAND_MODULES.contains(action.shortModule());
    Status worst = null;
    List<String> details = new ArrayList<>();
    for (Map.Entry<String, AnsibleOutput> entry : outputs.entrySet()) {
      AnsibleOutput.TaskResult result = entry.getValue().task(action.name()).orElse(null);
      Status status;
      String detail;
      if (result == null) {
        status = check && command ? Status.NOT_SIMULATED : Status.SKIPPED;
        detail = check && command ? "not simulated: check mode skips " + action.shortModule() + " tasks"
            : "not reached";
      } else {
        status = switch (result.outcome()) {
          case FAILED -> Status.FAILED;
          case SKIPPED -> check && command ? Status.NOT_SIMULATED : Status.SKIPPED;
          case OK, CHANGED -> check ? Status.SIMULATED : Status.SUCCEEDED;
        };
        String word = result.outcome().name().toLowerCase(Locale.ROOT);
        detail = switch (status) {
          case NOT_SIMULATED -> "not simulated: check mode skips " + action.shortModule() + " tasks";
          case SIMULATED -> "check mode: would be " + word;
          default -> word;
        } + (result.detail().isEmpty() || status == Status.NOT_SIMULATED ? "" : ": " + result.detail());
      }
      if (worst == null || rank(status) > rank(worst)) {
        worst = status;
      }
      details.add(outputs.size() == 1 ? detail : entry.getKey() + ": " + detail);
    }
    if (worst == null) {
      worst = check && command ? Status.NOT_SIMULATED : Status.SKIPPED;
      details.add("no instance ran it");
    }
    return new StepResult(action.name(), risk, worst, Redactor.redactAndTruncate(String.join("; ", details), 1000));
  }

  private static int rank(Status status) {
    return switch (status) {
      case SKIPPED -> 0;
      case SIMULATED, SUCCEEDED, ROLLED_BACK -> 1;
      case NOT_SIMULATED -> 2;
      case FAILED -> 3;
    };
  }

  private ExecutionReport report(Playbook playbook, Instant started, boolean success, List<StepResult> steps,
      String summary) {
    return report(playbook, started, config.check(), success, steps, summary);
  }

  private ExecutionReport report(Playbook playbook, Instant started, boolean check, boolean success,
      List<StepResult> steps, String summary) {
    List<String> notSimulated = steps.stream().filter(s -> s.status() == Status.NOT_SIMULATED)
        .map(StepResult::name).toList();
    Instant now = clock.instant();
    return new ExecutionReport(NAME, check ? Mode.CHECK : Mode.APPLY, playbook.id(), playbook.version(),
        playbook.commitSha(), success, steps, notSimulated, started == null ? now : started, now,
        Redactor.redactAndTruncate(summary, OUTPUT_LIMIT));
  }

  private static Poll terminal(String commandId, String status, ExecutionReport report) {
    return new Poll(commandId, status, true, report);
  }

  private static String describe(Playbook playbook, boolean check, String commandId) {
    return "Systems Manager " + (check ? "(check mode) " : "") + "ran " + playbook.id() + " " + playbook.version()
        + " (command " + commandId + ")";
  }

  /** Labels for the targets mapping: each validated value under its parameter name and its label. */
  private static Map<String, String> labelsFrom(Playbook playbook, Map<String, String> values) {
    Map<String, String> labels = new LinkedHashMap<>(values);
    for (Parameter parameter : playbook.parameters()) {
      String value = values.get(parameter.name());
      if (value != null && parameter.fromLabel() != null) {
        labels.putIfAbsent(parameter.fromLabel(), value);
      }
    }
    return labels;
  }

  private static String comment(String incidentId, Playbook playbook) {
    String text = "reflex " + String.valueOf(incidentId).replaceAll("[^A-Za-z0-9._:-]", "") + " " + playbook.id()
        + "@" + playbook.version();
    return text.length() > 100 ? text.substring(0, 100) : text;
  }

  /**
   * The last {@code max} characters, starting at a line boundary so that no secret is cut in half
   * before redaction (redacting all 24,000 characters is needlessly slow).
   */
  static String tail(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    String end = text.substring(text.length() - max);
    int newline = end.indexOf('\n');
    return "[…]" + (newline >= 0 ? end.substring(newline) : "");
  }

  private static String first(List<String> values) {
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
