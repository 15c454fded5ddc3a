package dev.reflex.testkit;

import dev.reflex.domain.port.WorkflowCallbacks;
import java.util.ArrayList;
import java.util.List;

/** {@link WorkflowCallbacks} that records every resumption. */
public final class RecordingWorkflowCallbacks implements WorkflowCallbacks {

  public record Success(String taskToken, String outputJson) {}

  public record Failure(String taskToken, String error, String cause) {}

  private final List<Success> successes = new ArrayList<>();
  private final List<Failure> failures = new ArrayList<>();

  @Override
  public synchronized void succeed(String taskToken, String outputJson) {
    successes.add(new Success(taskToken, outputJson));
  }

  @Override
  public synchronized void fail(String taskToken, String error, String cause) {
    failures.add(new Failure(taskToken, error, cause));
  }

  public synchronized List<Success> successes() {
    return List.copyOf(successes);
  }

  public synchronized List<Failure> failures() {
    return List.copyOf(failures);
  }
}
