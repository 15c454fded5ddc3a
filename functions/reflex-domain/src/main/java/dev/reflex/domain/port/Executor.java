package dev.reflex.domain.port;

import dev.reflex.domain.model.ExecutionPass;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.ExecutionRun;
import dev.reflex.domain.model.Playbook;
import java.util.Optional;

/**
 * Runs passes of an approved plan: forward steps, the verification, rollbacks. A pass is
 * <em>started</em> and may finish later: the dry-run and local Ansible executors finish it at once,
 * Systems Manager answers with a command id that the workflow polls from a Wait/Choice loop, so
 * that no function waits for minutes. Implementations: the dry-run executor (embedded default), a
 * local Ansible executor, and Systems Manager on AWS.
 *
 * <p>Every executor runs a pass's actions in order, stops at the first failure and reports one
 * result per action it reached. Parameters in a pass are already validated; an executor still
 * never splices them into a command line.
 */
public interface Executor {

  String name();

  /** DRY_RUN (describes), CHECK (Ansible check mode) or APPLY (changes things). */
  ExecutionReport.Mode mode();

  /**
   * True when this executor can run the playbook's steps one pass each, so that pre- and
   * post-checks run between steps. False for an Ansible play, whose tasks hand each other
   * registered variables: its steps run as one pass, the checks before and after it.
   */
  default boolean runsStepsOneAtATime(Playbook playbook) {
    return true;
  }

  /** Starts a pass; the run is finished at once or running under a handle. */
  ExecutionRun start(ExecutionPass pass);

  /** Looks once at a running pass. */
  default ExecutionRun poll(ExecutionPass pass, String handle) {
    throw new IllegalStateException(name() + " finishes every pass when it starts; there is nothing to poll");
  }

  /** Stops a running pass that took too long; best effort. */
  default void cancel(ExecutionPass pass, String handle) {}

  /**
   * The pre-check of target health, where this executor declares one (Systems Manager: every
   * targeted instance is online): why the pass's targets may not be acted on, or empty.
   */
  default Optional<String> unhealthyTargets(ExecutionPass pass) {
    return Optional.empty();
  }
}
