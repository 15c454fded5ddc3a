package dev.reflex.domain.model;

import java.util.Objects;

/**
 * A remediation step: the action, the risk class the playbook declares for it, the action that
 * undoes it (required for every step that is not read-only, unless none is possible), and the
 * step's own verification, if it declares one.
 *
 * <p>A step's verification is its post-check: a read-only action that runs right after the step
 * and says whether the step did what it should (the unit is active, the disk has room again).
 * When it fails, the remediation stops there and the steps that ran, this one included, are rolled
 * back. In a repository play it is a task tagged {@code remediate} that follows its step, so that a
 * whole-play pass runs it in place and Ansible stops at it when it fails.
 *
 * @param rollback the undoing action, or {@code null}
 * @param verification the step's post-check, or {@code null} (the playbook's own verification still
 *     runs after every step)
 */
public record PlaybookStep(StepAction action, RiskClass declaredRisk, StepAction rollback, StepAction verification) {

  public PlaybookStep {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(declaredRisk, "declaredRisk");
  }

  /** A step without a verification of its own. */
  public PlaybookStep(StepAction action, RiskClass declaredRisk, StepAction rollback) {
    this(action, declaredRisk, rollback, null);
  }

  public String name() {
    return action.name();
  }

  /** This step with {@code newVerification} as its post-check ({@code null}: none). */
  public PlaybookStep withVerification(StepAction newVerification) {
    return new PlaybookStep(action, declaredRisk, rollback, newVerification);
  }
}
