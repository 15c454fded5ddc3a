package dev.reflex.testkit;

import dev.reflex.domain.model.ExecutionPass;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.ExecutionReport.StepResult;
import dev.reflex.domain.model.ExecutionRun;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.port.Executor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An {@link Executor} that runs nothing: it records each pass and reports scripted outcomes. By
 * default every action succeeds at once, one step per pass; it can fail named actions (or the last
 * step), run the steps as one play, finish passes only after some polls (like Systems Manager),
 * and report unhealthy targets.
 */
public final class RecordingExecutor implements Executor {

  /** One pass: which incident, which playbook, with which parameters, what for, which actions. */
  public record Call(String incidentId, Playbook playbook, Map<String, String> parameters,
      ExecutionPass.Purpose purpose, List<String> actions) {}

  private final ExecutionReport.Mode mode;
  private final Clock clock;
  private boolean succeed;
  private boolean oneAtATime = true;
  private int pollsBeforeDone;
  private String unhealthy;
  private final Set<String> failing = new HashSet<>();
  private final List<Call> calls = new ArrayList<>();
  private final Map<String, Integer> pending = new HashMap<>();
  private final List<String> cancelled = new ArrayList<>();
  private int polls;
  private int sequence;

  public RecordingExecutor(boolean succeed, ExecutionReport.Mode mode, Clock clock) {
    this.succeed = succeed;
    this.mode = mode;
    this.clock = clock;
  }

  public static RecordingExecutor succeeding(Clock clock) {
    return new RecordingExecutor(true, ExecutionReport.Mode.APPLY, clock);
  }

  /** The playbook's last step fails. */
  public static RecordingExecutor failing(Clock clock) {
    return new RecordingExecutor(false, ExecutionReport.Mode.APPLY, clock);
  }

  /** Scripts the outcome of the following passes: false makes each playbook's last step fail. */
  public synchronized RecordingExecutor willSucceed(boolean value) {
    succeed = value;
    return this;
  }

  /** The action (step, verification or rollback) of this name fails whenever it runs. */
  public synchronized RecordingExecutor failAction(String name) {
    failing.add(name);
    return this;
  }

  /** Runs a playbook's steps as one pass, like an Ansible play. */
  public synchronized RecordingExecutor asOnePlay() {
    oneAtATime = false;
    return this;
  }

  /** Passes finish only after this many polls (0: when they start). */
  public synchronized RecordingExecutor finishAfterPolls(int count) {
    pollsBeforeDone = count;
    return this;
  }

  /** The target-health pre-check reports this reason ({@code null}: healthy). */
  public synchronized RecordingExecutor unhealthyTargets(String reason) {
    unhealthy = reason;
    return this;
  }

  @Override
  public String name() {
    return "recording";
  }

  @Override
  public ExecutionReport.Mode mode() {
    return mode;
  }

  @Override
  public synchronized boolean runsStepsOneAtATime(Playbook playbook) {
    return oneAtATime;
  }

  @Override
  public synchronized ExecutionRun start(ExecutionPass pass) {
    calls.add(new Call(pass.incidentId(), pass.playbook(), Map.copyOf(pass.parameters()), pass.purpose(),
        pass.actionNames()));
    if (pollsBeforeDone > 0) {
      String handle = "run-" + (++sequence);
      pending.put(handle, pollsBeforeDone);
      return ExecutionRun.running(handle, "InProgress");
    }
    return outcome(pass);
  }

  @Override
  public synchronized ExecutionRun poll(ExecutionPass pass, String handle) {
    polls++;
    Integer left = pending.get(handle);
    if (left == null) {
      throw new IllegalStateException("unknown handle " + handle);
    }
    if (left > 1) {
      pending.put(handle, left - 1);
      return ExecutionRun.running(handle, "InProgress");
    }
    pending.remove(handle);
    return outcome(pass);
  }

  @Override
  public synchronized void cancel(ExecutionPass pass, String handle) {
    cancelled.add(handle);
    pending.remove(handle);
  }

  @Override
  public synchronized Optional<String> unhealthyTargets(ExecutionPass pass) {
    return Optional.ofNullable(unhealthy);
  }

  private ExecutionRun outcome(ExecutionPass pass) {
    List<StepResult> results = new ArrayList<>();
    String lastStep = pass.playbook().steps().get(pass.playbook().steps().size() - 1).name();
    for (ExecutionPass.Action action : pass.actions()) {
      boolean fails = failing.contains(action.name())
          || (!succeed && pass.purpose() == ExecutionPass.Purpose.REMEDIATE && action.name().equals(lastStep));
      StepResult.Status ok = mode == ExecutionReport.Mode.APPLY ? StepResult.Status.SUCCEEDED
          : StepResult.Status.SIMULATED;
      results.add(new StepResult(action.name(), action.risk(), fails ? StepResult.Status.FAILED : ok,
          fails ? "scripted failure" : "ok"));
      if (fails) {
        break;
      }
    }
    boolean failed = results.stream().anyMatch(r -> r.status() == StepResult.Status.FAILED);
    return ExecutionRun.finished(results, failed ? "\"" + results.get(results.size() - 1).name() + "\" failed"
        : pass.purpose().name().toLowerCase(java.util.Locale.ROOT) + " pass ok at " + clock.instant());
  }

  /** Every pass started, in order. */
  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The names of every action of every pass started, in order. */
  public synchronized List<String> actionsRun() {
    return calls.stream().flatMap(call -> call.actions().stream()).toList();
  }

  /** The passes of one purpose, in order. */
  public synchronized List<Call> calls(ExecutionPass.Purpose purpose) {
    return calls.stream().filter(call -> call.purpose() == purpose).toList();
  }

  public synchronized int polls() {
    return polls;
  }

  public synchronized List<String> cancelled() {
    return List.copyOf(cancelled);
  }
}
