package dev.reflex.domain.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What an executor did with a playbook, step by step.
 *
 * @param mode DRY_RUN records what each step would do; CHECK runs Ansible in check mode; APPLY runs it
 * @param notSimulated names of steps a dry run or check mode could not simulate (Ansible check
 *     mode skips command and shell tasks): an honest dry-run says so
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
    String summary) {

  public ExecutionReport {
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(mode, "mode");
    steps = List.copyOf(Objects.requireNonNullElse(steps, List.of()));
    notSimulated = List.copyOf(Objects.requireNonNullElse(notSimulated, List.of()));
    summary = Objects.requireNonNullElse(summary, "");
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
