package dev.reflex.domain.model;

import java.util.List;
import java.util.Objects;

/**
 * What an executor says about a pass it was given: still running under a handle (look again later),
 * or finished with one result per action it reached, in the pass's order. An executor may report
 * results for more than it was asked (Systems Manager's Ansible document also runs the playbook's
 * verification): those follow the requested ones.
 *
 * @param status the executor's own word for a running pass (Pending, InProgress, ...), for the timeline
 */
public record ExecutionRun(boolean finished, String handle, String status, List<ExecutionReport.StepResult> results,
    String summary) {

  public ExecutionRun {
    results = List.copyOf(Objects.requireNonNullElse(results, List.of()));
    summary = Objects.requireNonNullElse(summary, "");
    status = Objects.requireNonNullElse(status, finished ? "Finished" : "Pending");
    if (!finished && (handle == null || handle.isBlank())) {
      throw new IllegalArgumentException("a running pass needs a handle to look at it again");
    }
  }

  public static ExecutionRun running(String handle, String status) {
    return new ExecutionRun(false, handle, status, List.of(), "");
  }

  public static ExecutionRun finished(List<ExecutionReport.StepResult> results, String summary) {
    return new ExecutionRun(true, null, "Finished", results, summary);
  }
}
