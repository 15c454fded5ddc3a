package dev.reflex.domain.service;

import static dev.reflex.domain.service.Steps.command;
import static dev.reflex.domain.service.Steps.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.reflex.domain.model.ExecutionPass.Purpose;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.ExecutionReport.Outcome;
import dev.reflex.domain.model.ExecutionReport.StepResult;
import dev.reflex.domain.model.ExecutionReport.StepResult.Status;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.Playbook;
import dev.reflex.testkit.Alerts;
import dev.reflex.testkit.Playbooks;
import org.junit.jupiter.api.Test;

/**
 * The workflow stops waiting for commands ("Commands timed out", or an error on the way): what
 * still runs is cancelled, the execution ends as a failure, and the rollbacks nobody will run are
 * named for a person.
 */
class AbandonedExecutionTest {

  private final World world = new World();

  /** Raise pool (undo: Restore pool), Restart pods (undo: Restart pods again), then Check latency. */
  private static Playbook twoWrites() {
    return Playbooks.builder("pool-fix").anomalyType("high_latency").confidence(0.8)
        .steps(write("Raise pool", "Restore pool"), write("Restart pods", "Restart pods again"))
        .verification(command("Check latency"))
        .build();
  }

  /** Runs until the second step is sent and left running (each pass finishes at its first poll). */
  private String secondStepRunning() {
    String id = world.approved(twoWrites());
    world.executor.finishAfterPolls(1);
    world.execute.execute(id); // Raise pool sent
    world.execute.progress(id); // Raise pool done, Restart pods sent
    return id;
  }

  @Test
  void abandon_whileTheFirstStepRuns_cancelsItAndFailsWithoutSendingRollbacks() {
    String id = world.approved(twoWrites());
    world.executor.finishAfterPolls(1_000);
    world.execute.execute(id);

    ExecutionReport report = world.execute.abandon(id,
        "Reflex.CommandsTimedOut: commands were still running after 3 checks").orElseThrow();

    assertThat(world.executor.cancelled()).containsExactly("run-1");
    assertThat(world.executor.calls(Purpose.ROLLBACK)).as("nothing would wait for a rollback: none is sent")
        .isEmpty();
    assertThat(report.finished()).isTrue();
    assertThat(report.outcome()).as("no step completed").isEqualTo(Outcome.FAILED);
    assertThat(report.steps()).extracting(StepResult::name, StepResult::status).containsExactly(
        tuple("Raise pool", Status.FAILED), tuple("Restart pods", Status.SKIPPED));
    assertThat(report.steps().get(0).detail())
        .startsWith("cancelled: Reflex.CommandsTimedOut: commands were still running after 3 checks")
        .contains("whether its rollback \"Restore pool\" is needed is for a person to judge");
    assertThat(report.summary().split("still running after 3 checks", -1)).as("the reason is said once")
        .hasSize(2);
    Incident incident = world.incident(id);
    assertThat(incident.status()).isEqualTo(IncidentStatus.FAILED);
    assertThat(world.onCall.notices()).singleElement()
        .satisfies(notice -> assertThat(notice.summary()).contains("commands were still running"));
  }

  @Test
  void abandon_whenTheSecondStepNeverFinishes_recordsItCancelledAndBothRollbacksLeftToAPerson() {
    String id = secondStepRunning();
    assertThat(world.incident(id).execution().progress().handle()).as("fixture: Restart pods is running")
        .isNotNull();

    ExecutionReport report = world.execute.abandon(id, "Reflex.CommandsTimedOut: commands were still running")
        .orElseThrow();

    assertThat(report.steps()).extracting(StepResult::name, StepResult::status).containsExactly(
        tuple("Raise pool", Status.SUCCEEDED), tuple("Restart pods", Status.FAILED));
    StepResult restart = report.steps().get(1);
    assertThat(world.executor.cancelled()).containsExactly("run-2");
    assertThat(restart.detail()).startsWith("cancelled: Reflex.CommandsTimedOut")
        .contains("whether its rollback \"Restart pods again\" is needed is for a person to judge");
    assertThat(report.steps().get(0).detail())
        .contains("rollback \"Restore pool\" not run (the workflow stopped waiting): left in place");
    assertThat(report.summary()).contains("step \"Restart pods\" failed")
        .contains("rollbacks for a person to run, in this order: Restore pool");
    assertThat(world.executor.calls(Purpose.VERIFY)).isEmpty();
  }

  @Test
  void abandon_calledAgain_changesNothingAndCancelsNothingMore() {
    String id = secondStepRunning();
    ExecutionReport first = world.execute.abandon(id, "timed out").orElseThrow();

    ExecutionReport second = world.execute.abandon(id, "timed out again").orElseThrow();

    assertThat(second).isEqualTo(first);
    assertThat(world.executor.cancelled()).hasSize(1);
    assertThat(world.onCall.notices()).hasSize(1);
  }

  @Test
  void abandon_afterTheExecutionFinished_returnsItAsIs() {
    String id = world.approved(twoWrites());
    ExecutionReport finished = world.execute.execute(id);
    assertThat(finished.outcome()).isEqualTo(Outcome.SUCCEEDED);

    assertThat(world.execute.abandon(id, "late")).contains(finished);
    assertThat(world.executor.cancelled()).isEmpty();
  }

  @Test
  void abandon_withoutAnExecution_isEmpty() {
    Incident incident = world.detected(Alerts.highLatency());

    assertThat(world.execute.abandon(incident.id(), "nothing ran")).isEmpty();
  }

  @Test
  void abandonedExecution_isLearnedAsAFailure() {
    String id = secondStepRunning();
    world.execute.abandon(id, "timed out");

    Incident learned = world.learn.learn(id);

    assertThat(learned.status()).isEqualTo(IncidentStatus.PARTIALLY_REMEDIATED);
    assertThat(world.playbooks.find("pool-fix").orElseThrow().stats().failureCount()).isEqualTo(1);
  }

  @Test
  void failingTheIncident_stopsItsRunningCommandsFirst() {
    String id = secondStepRunning();
    CloseIncident close = new CloseIncident(world.incidents, world.execute, world.clock);

    Incident failed = close.fail(id, "States.TaskFailed", "the progress check kept failing");

    assertThat(world.executor.cancelled()).hasSize(1);
    assertThat(failed.execution().finished()).isTrue();
    assertThat(failed.status()).as("a write step had run: not merely failed")
        .isEqualTo(IncidentStatus.PARTIALLY_REMEDIATED);
    assertThat(failed.timeline()).last().extracting(Incident.TimelineEntry::message).asString()
        .startsWith("workflow error: States.TaskFailed");
  }

  @Test
  void failingAnIncidentWithoutExecution_onlyRecordsTheError() {
    Incident incident = world.detected(Alerts.highLatency());
    CloseIncident close = new CloseIncident(world.incidents, world.execute, world.clock);

    Incident failed = close.fail(incident.id(), "States.TaskFailed", "match failed");

    assertThat(failed.status()).isEqualTo(IncidentStatus.FAILED);
    assertThat(failed.execution()).isNull();
    assertThat(world.executor.cancelled()).isEmpty();
  }
}
