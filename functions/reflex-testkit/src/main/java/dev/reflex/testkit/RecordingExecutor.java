package dev.reflex.testkit;

import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.ExecutionReport.StepResult;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.port.Executor;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An {@link Executor} that runs nothing: it records each call and reports a scripted outcome. */
public final class RecordingExecutor implements Executor {

  /** One call: which incident, which playbook, with which parameters. */
  public record Call(String incidentId, Playbook playbook, Map<String, String> parameters) {}

  private final ExecutionReport.Mode mode;
  private final Clock clock;
  private boolean succeed;
  private final List<Call> calls = new ArrayList<>();

  public RecordingExecutor(boolean succeed, ExecutionReport.Mode mode, Clock clock) {
    this.succeed = succeed;
    this.mode = mode;
    this.clock = clock;
  }

  public static RecordingExecutor succeeding(Clock clock) {
    return new RecordingExecutor(true, ExecutionReport.Mode.APPLY, clock);
  }

  public static RecordingExecutor failing(Clock clock) {
    return new RecordingExecutor(false, ExecutionReport.Mode.APPLY, clock);
  }

  /** Scripts the outcome of the following calls. */
  public synchronized RecordingExecutor willSucceed(boolean value) {
    succeed = value;
    return this;
  }

  @Override
  public String name() {
    return "recording";
  }

  @Override
  public synchronized ExecutionReport execute(String incidentId, Playbook playbook, Map<String, String> parameters) {
    calls.add(new Call(incidentId, playbook, Map.copyOf(parameters)));
    Instant now = clock.instant();
    List<StepResult> steps = new ArrayList<>();
    for (int i = 0; i < playbook.steps().size(); i++) {
      var step = playbook.steps().get(i);
      boolean last = i == playbook.steps().size() - 1;
      StepResult.Status status = succeed || !last ? StepResult.Status.SUCCEEDED : StepResult.Status.FAILED;
      steps.add(new StepResult(step.name(), step.declaredRisk(), status, status == StepResult.Status.FAILED
          ? "scripted failure" : "ok"));
    }
    return new ExecutionReport(name(), mode, playbook.id(), playbook.version(), playbook.commitSha(), succeed, steps,
        List.of(), now, now, succeed ? "all steps succeeded" : "step \"" + steps.get(steps.size() - 1).name()
            + "\" failed");
  }

  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }
}
