package dev.reflex.domain.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One run asked of an executor: some actions of a playbook, run in order and stopped at the first
 * failure. The use case decides what a pass holds (one step, the whole play, the verification, the
 * rollbacks to run); the executor decides how (a dry-run description, ansible-playbook, a Systems
 * Manager command).
 *
 * @param parameters values already validated against the playbook's declared patterns; they reach
 *     Ansible as variables and a shell only as single-quoted words, never spliced into a command line
 * @param labels the incident's alert labels, for resolving targets (untrusted: compared, never run)
 * @param actions what to run, in order; never empty
 */
public record ExecutionPass(
    String incidentId,
    Playbook playbook,
    Map<String, String> parameters,
    Map<String, String> labels,
    Purpose purpose,
    List<Action> actions) {

  public ExecutionPass {
    Objects.requireNonNull(incidentId, "incidentId");
    Objects.requireNonNull(playbook, "playbook");
    Objects.requireNonNull(purpose, "purpose");
    parameters = Map.copyOf(Objects.requireNonNullElse(parameters, Map.of()));
    labels = Map.copyOf(Objects.requireNonNullElse(labels, Map.of()));
    actions = List.copyOf(Objects.requireNonNull(actions, "actions"));
    if (actions.isEmpty()) {
      throw new IllegalArgumentException("a pass runs at least one action");
    }
  }

  /** What a pass is for. */
  public enum Purpose {
    /** Forward steps of the playbook. */
    REMEDIATE,
    /**
     * A read-only verification: a step's own (its post-check, right after it) or the playbook's
     * (after every step).
     */
    VERIFY,
    /** Declared rollbacks of steps that ran, the last step's first. */
    ROLLBACK
  }

  /**
   * One action of a pass.
   *
   * @param risk the step's declared class (a rollback carries the class of the step it undoes)
   */
  public record Action(StepAction action, RiskClass risk) {
    public Action {
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(risk, "risk");
    }

    public String name() {
      return action.name();
    }
  }

  public List<String> actionNames() {
    return actions.stream().map(Action::name).toList();
  }

  /**
   * The forward actions of steps {@code from} (inclusive) to {@code to} (exclusive), in play
   * order: each step with its declared risk, followed by its own verification (read-only) when
   * {@code withStepVerifications} and the step declares one. A whole-play pass runs them so.
   */
  public static List<Action> forward(Playbook playbook, int from, int to, boolean withStepVerifications) {
    List<Action> out = new java.util.ArrayList<>();
    for (PlaybookStep step : playbook.steps().subList(from, to)) {
      out.add(new Action(step.action(), step.declaredRisk()));
      if (withStepVerifications && step.verification() != null) {
        out.add(new Action(step.verification(), RiskClass.READ_ONLY));
      }
    }
    return List.copyOf(out);
  }
}
