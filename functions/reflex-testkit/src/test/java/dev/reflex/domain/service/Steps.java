package dev.reflex.domain.service;

import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.ExecutionReport.StepResult;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.StepAction;
import java.util.List;
import java.util.Map;

/**
 * Steps named for what they stand for: each action is an {@code echo} of its own name, so the
 * recording executor's log reads as the plan ("Raise pool", "Restore pool", ...).
 */
final class Steps {

  private Steps() {}

  static StepAction command(String name) {
    return StepAction.of(name, "ansible.builtin.command", Map.of("argv", List.of("echo", name)));
  }

  /** A safe write undone by {@code rollback}, or by nothing when it is {@code null}. */
  static PlaybookStep write(String name, String rollback) {
    return new PlaybookStep(command(name), RiskClass.SAFE_WRITE, rollback == null ? null : command(rollback));
  }

  static PlaybookStep read(String name) {
    return new PlaybookStep(command(name), RiskClass.READ_ONLY, null);
  }

  /** The line of the report for the step, rollback or check called {@code name}. */
  static StepResult result(ExecutionReport report, String name) {
    return report.steps().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }
}
