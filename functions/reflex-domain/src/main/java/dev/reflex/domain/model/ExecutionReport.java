package dev.reflex.domain.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the execution of a playbook did, step by step: the forward steps in playbook order, then the
 * verification, then any rollback actions, each with its result. A step's own verification (its
 * post-check) is told in its step's detail, and named in {@code notSimulated} when it could not be
 * simulated; a report an executor makes of a whole play on its own lists it after its step. While the execution runs
 * ({@link Outcome#RUNNING}) it carries its {@link ExecutionProgress}; a finished one has none.
 *
 * @param mode DRY_RUN records what each step would do; CHECK runs Ansible in check mode; APPLY runs it
 * @param success true only for {@link Outcome#SUCCEEDED}
 * @param notSimulated names of steps a dry run or check mode could not simulate (Ansible check
 *     mode skips command and shell tasks): an honest dry-run says so
 * @param outcome how it ended, or RUNNING; {@code null} reads as SUCCEEDED or FAILED from {@code success}
 * @param progress where a running execution is; {@code null} once it has finished
 */
public record ExecutionReport(
    String executor,
    Mode mode,
    String playbookId,
    String playbookVersion,
    String commitSha,
    boolean success,
    List<StepResult> steps,
    List<String> notSimulated,
    Instant startedAt,
    Instant finishedAt,
    String summary,
    Outcome outcome,
    ExecutionProgress progress) {

  public ExecutionReport {
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(mode, "mode");
    steps = List.copyOf(Objects.requireNonNullElse(steps, List.of()));
    notSimulated = List.copyOf(Objects.requireNonNullElse(notSimulated, List.of()));
    summary = Objects.requireNonNullElse(summary, "");
    outcome = Objects.requireNonNullElse(outcome, success ? Outcome.SUCCEEDED : Outcome.FAILED);
    if (success != (outcome == Outcome.SUCCEEDED)) {
      throw new IllegalArgumentException("success must be true exactly when the outcome is SUCCEEDED: " + outcome);
    }
    if ((outcome == Outcome.RUNNING) != (progress != null)) {
      throw new IllegalArgumentException("a running execution carries its progress, a finished one none");
    }
  }

  /** A finished execution: SUCCEEDED when {@code success}, else FAILED. */
  public ExecutionReport(String executor, Mode mode, String playbookId, String playbookVersion, String commitSha,
      boolean success, List<StepResult> steps, List<String> notSimulated, Instant startedAt, Instant finishedAt,
      String summary) {
    this(executor, mode, playbookId, playbookVersion, commitSha, success, steps, notSimulated, startedAt, finishedAt,
        summary, null, null);
  }

  /** False while the execution runs (commands sent, results not all in). */
  public boolean finished() {
    return outcome != Outcome.RUNNING;
  }

  /**
   * How an execution ended. PARTIALLY_REMEDIATED: it stopped after at least one write step had run
   * (each step's result says whether it was rolled back or left in place); FAILED: it stopped before
   * any write step ran; NOT_RUN: nothing was sent (a parameter was refused), so the playbook is not
   * to blame.
   */
  public enum Outcome {
    RUNNING,
    SUCCEEDED,
    FAILED,
    PARTIALLY_REMEDIATED,
    NOT_RUN
  }

  public enum Mode {
    DRY_RUN,
    CHECK,
    APPLY
  }

  /** One step's result. {@code output} is truncated and redacted before it is stored. */
  public record StepResult(String name, RiskClass risk, Status status, String detail) {
    public StepResult {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(status, "status");
      detail = Objects.requireNonNullElse(detail, "");
    }

    public enum Status {
      SUCCEEDED,
      SIMULATED,
      NOT_SIMULATED,
      SKIPPED,
      FAILED,
      ROLLED_BACK
    }
  }
}
