package dev.reflex.domain.model;

import java.util.Objects;

/**
 * A remediation step: the action, the risk class the playbook declares for it, and the action
 * that undoes it (required for every step that is not read-only, unless none is possible).
 */
public record PlaybookStep(StepAction action, RiskClass declaredRisk, StepAction rollback) {

  public PlaybookStep {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(declaredRisk, "declaredRisk");
  }

  public String name() {
    return action.name();
  }
}
