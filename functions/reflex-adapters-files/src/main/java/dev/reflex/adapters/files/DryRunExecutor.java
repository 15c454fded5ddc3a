package dev.reflex.adapters.files;

import dev.reflex.adapters.files.internal.Jinja;
import dev.reflex.adapters.files.internal.ParameterValues;
import dev.reflex.domain.model.ExecutionPass;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.ExecutionReport.Mode;
import dev.reflex.domain.model.ExecutionReport.StepResult;
import dev.reflex.domain.model.ExecutionReport.StepResult.Status;
import dev.reflex.domain.model.ExecutionRun;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.StepAction;
import dev.reflex.domain.port.Executor;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs nothing: says, action by action, what a playbook would do with these parameters. Modules whose
 * effect can be stated from their arguments are SIMULATED; command, shell, raw and script tasks
 * are NOT_SIMULATED (their effect is whatever the program does, and Ansible's check mode skips
 * them too), as are modules this executor does not know. Every pass finishes when it starts, one
 * step per pass.
 */
public final class DryRunExecutor implements Executor {

  public static final String NAME = "dry-run";

  private static final Set<String> COMMANDS = Set.of("command", "shell", "raw", "script", "expect");

  private final Clock clock;

  public DryRunExecutor() {
    this(Clock.systemUTC());
  }

  public DryRunExecutor(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Mode mode() {
    return Mode.DRY_RUN;
  }

  /**
   * Describes each action of the pass; finishes at once. Rollbacks are described as what would be
   * undone, a step's own verification as what would be checked after it.
   */
  @Override
  public ExecutionRun start(ExecutionPass pass) {
    Playbook playbook = pass.playbook();
    ParameterValues values = ParameterValues.resolve(playbook.parameters(), pass.parameters());
    if (!values.ok()) {
      ExecutionPass.Action first = pass.actions().get(0);
      return ExecutionRun.finished(List.of(new StepResult(first.name(), first.risk(), Status.FAILED,
          "cannot run: " + String.join("; ", values.problems()))),
          "Dry run of " + playbook.id() + " " + playbook.version() + " cannot run: "
              + String.join("; ", values.problems()));
    }
    List<StepResult> results = new ArrayList<>();
    for (ExecutionPass.Action action : pass.actions()) {
      Described described = describe(action.action(), values.values());
      PlaybookStep checked = pass.purpose() == ExecutionPass.Purpose.ROLLBACK ? null : checkedStep(playbook, action);
      String detail = checked != null
          ? "would check that step \"" + checked.name() + "\" worked: " + described.text().replaceFirst("^would ", "")
          : switch (pass.purpose()) {
            case REMEDIATE -> described.text() + rollbackNote(playbook, action, values.values());
            case VERIFY -> "verification: " + described.text();
            case ROLLBACK -> described.text();
          };
      results.add(new StepResult(action.name(), action.risk(), described.status(), detail));
    }
    long simulated = results.stream().filter(r -> r.status() == Status.SIMULATED).count();
    PlaybookStep checkedAlone = pass.actions().size() == 1 && pass.purpose() == ExecutionPass.Purpose.VERIFY
        ? checkedStep(playbook, pass.actions().get(0)) : null;
    String what = switch (pass.purpose()) {
      case REMEDIATE -> {
        long checks = pass.actions().stream().filter(a -> checkedStep(playbook, a) != null).count();
        yield results.size() == 1 ? "step \"" + results.get(0).name() + "\""
            : (results.size() - checks) + " steps" + (checks == 0 ? "" : " and " + checks + " post-check(s)");
      }
      case VERIFY -> checkedAlone != null ? "post-check of step \"" + checkedAlone.name() + "\"" : "verification";
      case ROLLBACK -> "rollback of " + results.size() + " step(s)";
    };
    return ExecutionRun.finished(results, "Dry run of " + playbook.id() + " " + playbook.version() + ", " + what
        + ": nothing was executed; " + simulated + " of " + results.size() + " simulated");
  }

  /**
   * Runs a whole playbook as the use case would when every pass succeeds: steps (each followed by
   * its own verification, as a result of its own), then the verification.
   */
  public ExecutionReport execute(String incidentId, Playbook playbook, Map<String, String> parameters) {
    Instant started = clock.instant();
    List<ExecutionPass.Action> steps = ExecutionPass.forward(playbook, 0, playbook.steps().size(), true);
    ExecutionRun run = start(new ExecutionPass(incidentId, playbook, parameters, Map.of(),
        ExecutionPass.Purpose.REMEDIATE, steps));
    List<StepResult> results = new ArrayList<>(run.results());
    List<String> summaries = new ArrayList<>(List.of(run.summary()));
    boolean ok = results.stream().noneMatch(r -> r.status() == Status.FAILED);
    if (ok && playbook.verification() != null) {
      ExecutionRun verify = start(new ExecutionPass(incidentId, playbook, parameters, Map.of(),
          ExecutionPass.Purpose.VERIFY, List.of(new ExecutionPass.Action(playbook.verification(), RiskClass.READ_ONLY))));
      results.addAll(verify.results());
      summaries.add(verify.summary());
    }
    ok = results.stream().noneMatch(r -> r.status() == Status.FAILED);
    List<String> notSimulated = results.stream().filter(r -> r.status() == Status.NOT_SIMULATED)
        .map(StepResult::name).toList();
    return new ExecutionReport(NAME, Mode.DRY_RUN, playbook.id(), playbook.version(), playbook.commitSha(), ok,
        results, notSimulated, started, clock.instant(), String.join(" | ", summaries)
            + (notSimulated.isEmpty() ? "" : "; not simulated: " + String.join(", ", notSimulated)));
  }

  /** The step whose own verification {@code action} is, or {@code null}. */
  private static PlaybookStep checkedStep(Playbook playbook, ExecutionPass.Action action) {
    for (PlaybookStep step : playbook.steps()) {
      if (action.action().equals(step.verification()) && !action.action().equals(step.action())) {
        return step;
      }
    }
    return null;
  }

  private static String rollbackNote(Playbook playbook, ExecutionPass.Action action, Map<String, String> values) {
    for (PlaybookStep step : playbook.steps()) {
      if (step.action().equals(action.action())) {
        if (step.rollback() != null) {
          return "; rollback: " + describe(step.rollback(), values).text();
        }
        return step.declaredRisk() != RiskClass.READ_ONLY ? "; no rollback declared" : "";
      }
    }
    return "";
  }

  private record Described(Status status, String text) {}

  private static Described describe(StepAction action, Map<String, String> values) {
    String module = action.shortModule();
    if (COMMANDS.contains(module)) {
      String command = commandLine(action, values);
      return new Described(Status.NOT_SIMULATED, "would run " + command
          + " (not simulated: a " + module + " task's effect is the program's own)");
    }
    String text = switch (module) {
      case "uri" -> "would send " + arg(action, values, "method", "GET") + " " + arg(action, values, "url", "?")
          + expectStatus(action, values);
      case "get_url" -> "would download " + arg(action, values, "url", "?") + " to " + arg(action, values, "dest", "?");
      case "systemd", "systemd_service", "service" -> describeUnit(action, values);
      case "file" -> "would ensure " + arg(action, values, "path", arg(action, values, "dest", "?")) + " is "
          + arg(action, values, "state", "file") + optional(action, values, "mode", " with mode ");
      case "lineinfile" -> "would ensure in " + arg(action, values, "path", arg(action, values, "dest", "?"))
          + " that " + ("absent".equals(action.arg("state"))
              ? "no line matches " + arg(action, values, "regexp", arg(action, values, "line", "?"))
              : "the line '" + arg(action, values, "line", "?") + "' is present");
      case "copy" -> "would write " + arg(action, values, "dest", "?")
          + (action.args().containsKey("content") ? " with the given content" : " from " + arg(action, values, "src", "?"));
      case "template" -> "would render " + arg(action, values, "src", "?") + " to " + arg(action, values, "dest", "?");
      case "stat", "slurp" -> "would read " + arg(action, values, "path", arg(action, values, "src", "?"));
      case "find" -> "would list files in " + arg(action, values, "paths", "?")
          + optional(action, values, "patterns", " matching ") + optional(action, values, "age", " older than ");
      case "debug" -> "would print " + arg(action, values, "msg", arg(action, values, "var", ""));
      case "assert" -> "would check " + Jinja.render(action.args().getOrDefault("that", List.of()), values);
      case "wait_for" -> "would wait for " + Jinja.render(action.args(), values);
      case "pause" -> "would pause " + Jinja.render(action.args(), values);
      case "set_fact" -> "would set facts " + action.args().keySet();
      case "k8s_info" -> "would read Kubernetes " + arg(action, values, "kind", "objects")
          + optional(action, values, "name", " ") + optional(action, values, "namespace", " in namespace ");
      case "k8s_scale" -> "would scale " + arg(action, values, "kind", "Deployment") + " "
          + arg(action, values, "name", "?") + " to " + arg(action, values, "replicas", "?") + " replicas"
          + optional(action, values, "namespace", " in namespace ");
      default -> null;
    };
    if (text == null) {
      return new Described(Status.NOT_SIMULATED, "would call " + action.module() + " with "
          + Jinja.render(action.args(), values) + " (not simulated: the dry run does not know this module)");
    }
    return new Described(Status.SIMULATED, text);
  }

  private static String describeUnit(StepAction action, Map<String, String> values) {
    StringBuilder text = new StringBuilder("would make unit ").append(arg(action, values, "name", "?"));
    if (action.args().containsKey("state")) {
      text.append(' ').append(arg(action, values, "state", ""));
    }
    if (action.args().containsKey("enabled")) {
      text.append(", enabled=").append(arg(action, values, "enabled", ""));
    }
    if (Boolean.TRUE.equals(action.args().get("daemon_reload"))) {
      text.append(", after a daemon reload");
    }
    return text.toString();
  }

  private static String commandLine(StepAction action, Map<String, String> values) {
    Object argv = action.args().get("argv");
    if (argv instanceof List<?> list) {
      List<String> words = new ArrayList<>();
      for (Object word : list) {
        String rendered = Jinja.render(String.valueOf(word), values);
        words.add(rendered.isEmpty() || rendered.matches(".*[\\s'\"\\\\$`;&|<>(){}*?].*")
            ? "'" + rendered.replace("'", "'\\''") + "'" : rendered);
      }
      return String.join(" ", words);
    }
    return Jinja.render(action.commandText(), values);
  }

  private static String expectStatus(StepAction action, Map<String, String> values) {
    return action.args().containsKey("status_code") ? " expecting status " + arg(action, values, "status_code", "") : "";
  }

  private static String arg(StepAction action, Map<String, String> values, String key, String fallback) {
    Object value = action.args().get(key);
    if (value == null) {
      return fallback;
    }
    Object rendered = Jinja.render(value, values);
    return String.valueOf(rendered);
  }

  private static String optional(StepAction action, Map<String, String> values, String key, String prefix) {
    return action.args().containsKey(key) ? prefix + arg(action, values, key, "") : "";
  }
}
