package dev.reflex.domain.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where a running execution is, kept on the incident between the workflow's polls so that no
 * function waits for a command: the phase, the run the executor is busy with (its handle), and
 * the rollback plan once something failed.
 *
 * @param next STEPS: index of the first step of the pending (or next) run; STEP_CHECK: index of the
 *     step whose verification runs; ROLLBACK: position in {@code rollbackQueue}; VERIFY: 0
 * @param runSize how many steps (or rollback actions) the pending run covers; 0 when none is pending
 * @param handle the executor's handle of the pending run (a Systems Manager command id), or {@code null}
 * @param runStartedAt when the pending run was started, for its timeout
 * @param polls how many times the pending run was looked at
 * @param rollbackQueue indexes of the steps to roll back, in the order their rollbacks run (the
 *     last executed step first)
 * @param stopReason why the remediation stopped, once it has; {@code null} while all goes well
 */
public record ExecutionProgress(
    Phase phase,
    int next,
    int runSize,
    String handle,
    Instant runStartedAt,
    int polls,
    List<Integer> rollbackQueue,
    String stopReason) {

  public ExecutionProgress {
    Objects.requireNonNull(phase, "phase");
    if (next < 0 || runSize < 0 || polls < 0) {
      throw new IllegalArgumentException("next, runSize and polls cannot be negative");
    }
    if ((handle == null) != (runSize == 0)) {
      throw new IllegalArgumentException("a pending run has a handle and a size; none has neither");
    }
    rollbackQueue = List.copyOf(Objects.requireNonNullElse(rollbackQueue, List.of()));
  }

  /** Nothing has run yet. */
  public static ExecutionProgress begin() {
    return new ExecutionProgress(Phase.STEPS, 0, 0, null, null, 0, List.of(), null);
  }

  public boolean pending() {
    return handle != null;
  }

  /**
   * The phases of an execution: STEPS, with a STEP_CHECK after each step that declares its own
   * verification (when steps run one pass each), then VERIFY; ROLLBACK only after a failure.
   * Progress stored before STEP_CHECK existed reads the same.
   */
  public enum Phase {
    STEPS,
    /** A step's own verification, right after the step ({@code next} is that step's index). */
    STEP_CHECK,
    VERIFY,
    ROLLBACK
  }
}
