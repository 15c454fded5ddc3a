package dev.reflex.domain.service;

import static dev.reflex.domain.service.Steps.command;
import static dev.reflex.domain.service.Steps.result;
import static dev.reflex.domain.service.Steps.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.reflex.domain.execution.StepPreCheck;
import dev.reflex.domain.model.ExecutionPass;
import dev.reflex.domain.model.ExecutionPass.Purpose;
import dev.reflex.domain.model.ExecutionProgress;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.ExecutionReport.Outcome;
import dev.reflex.domain.model.ExecutionReport.StepResult;
import dev.reflex.domain.model.ExecutionReport.StepResult.Status;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.policy.RemediationPolicy;
import dev.reflex.testkit.Alerts;
import dev.reflex.testkit.Playbooks;
import dev.reflex.testkit.RecordingExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A step's own verification (its post-check), run right after the step. */
class StepVerificationTest {

  private final World world = new World();

  /**
   * Three writes, each undoable: "Raise pool", "Restart pods" (checked by "Check pods ready"),
   * "Warm cache"; the playbook's verification is "Check latency".
   */
  private static Playbook threeSteps() {
    return Playbooks.builder("pool-fix").anomalyType("high_latency").confidence(0.8)
        .steps(write("Raise pool", "Restore pool"),
            write("Restart pods", "Restart pods again").withVerification(command("Check pods ready")),
            write("Warm cache", "Cool cache"))
        .verification(command("Check latency"))
        .build();
  }

  @Test
  void execute_whenStepVerificationFailsAfterStep2Of3_rollsBackSteps2Then1AndRunsNoStep3() {
    world.executor.failAction("Check pods ready");
    String id = world.approved(threeSteps());

    ExecutionReport report = world.execute.execute(id);

    assertThat(world.executor.calls()).extracting(RecordingExecutor.Call::purpose, RecordingExecutor.Call::actions)
        .containsExactly(
            tuple(Purpose.REMEDIATE, List.of("Raise pool")),
            tuple(Purpose.REMEDIATE, List.of("Restart pods")),
            tuple(Purpose.VERIFY, List.of("Check pods ready")),
            tuple(Purpose.ROLLBACK, List.of("Restart pods again")),
            tuple(Purpose.ROLLBACK, List.of("Restore pool")));
    assertThat(report.outcome()).isEqualTo(Outcome.PARTIALLY_REMEDIATED);
    assertThat(report.steps()).extracting(StepResult::name, StepResult::status).containsExactly(
        tuple("Raise pool", Status.ROLLED_BACK),
        tuple("Restart pods", Status.ROLLED_BACK),
        tuple("Warm cache", Status.SKIPPED),
        tuple("Restart pods again", Status.SUCCEEDED),
        tuple("Restore pool", Status.SUCCEEDED));
    assertThat(result(report, "Restart pods").detail())
        .contains("post-check \"Check pods ready\" failed: scripted failure")
        .contains("rolled back by \"Restart pods again\"");
    assertThat(result(report, "Warm cache").detail()).isEqualTo("not run: the remediation stopped");
    assertThat(report.summary())
        .startsWith("stopped: verification of step \"Restart pods\" failed: scripted failure")
        .contains("rolled back (last first): Restart pods, Raise pool");
    Incident incident = world.incident(id);
    assertThat(incident.status()).isEqualTo(IncidentStatus.PARTIALLY_REMEDIATED);
    assertThat(world.onCall.notices()).singleElement().satisfies(notice -> {
      assertThat(notice.status()).isEqualTo(IncidentStatus.PARTIALLY_REMEDIATED);
      assertThat(notice.summary()).contains("verification of step \"Restart pods\" failed");
    });
  }

  @Test
  void execute_whenStepVerificationPasses_runsTheNextStepThenThePlaybookVerification() {
    String id = world.approved(threeSteps());

    ExecutionReport report = world.execute.execute(id);

    assertThat(world.executor.calls()).extracting(RecordingExecutor.Call::purpose, RecordingExecutor.Call::actions)
        .containsExactly(
            tuple(Purpose.REMEDIATE, List.of("Raise pool")),
            tuple(Purpose.REMEDIATE, List.of("Restart pods")),
            tuple(Purpose.VERIFY, List.of("Check pods ready")),
            tuple(Purpose.REMEDIATE, List.of("Warm cache")),
            tuple(Purpose.VERIFY, List.of("Check latency")));
    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(report.steps()).extracting(StepResult::name)
        .containsExactly("Raise pool", "Restart pods", "Warm cache", "Check latency");
    assertThat(result(report, "Restart pods").detail()).isEqualTo("ok; post-check \"Check pods ready\" succeeded: ok");
    assertThat(world.onCall.notices()).isEmpty();
  }

  @Test
  void execute_runsPreChecksBeforeForwardStepsOnly_neverBeforeAStepVerification() {
    List<String> checked = new ArrayList<>();
    StepPreCheck recording = new StepPreCheck() {
      @Override
      public String name() {
        return "recording";
      }

      @Override
      public Optional<String> refuse(Incident incident, List<PlaybookStep> steps, ExecutionPass pass, Instant now) {
        checked.addAll(pass.actionNames());
        return Optional.empty();
      }
    };
    String id = world.approved(threeSteps());

    world.executing(world.executor, List.of(recording)).execute(id);

    assertThat(checked).containsExactly("Raise pool", "Restart pods", "Warm cache");
  }

  @Test
  void execute_asOnePlay_runsStepVerificationsInPlayOrderAndStopsAtAFailingOne() {
    world.executor.asOnePlay().failAction("Check pods ready");
    String id = world.approved(threeSteps());

    ExecutionReport report = world.execute.execute(id);

    assertThat(world.executor.calls()).extracting(RecordingExecutor.Call::purpose, RecordingExecutor.Call::actions)
        .containsExactly(
            tuple(Purpose.REMEDIATE, List.of("Raise pool", "Restart pods", "Check pods ready", "Warm cache")),
            tuple(Purpose.ROLLBACK, List.of("Restart pods again", "Restore pool")));
    assertThat(report.outcome()).isEqualTo(Outcome.PARTIALLY_REMEDIATED);
    assertThat(report.steps()).extracting(StepResult::name, StepResult::status).startsWith(
        tuple("Raise pool", Status.ROLLED_BACK),
        tuple("Restart pods", Status.ROLLED_BACK),
        tuple("Warm cache", Status.SKIPPED));
    assertThat(result(report, "Warm cache").detail()).isEqualTo("not reached");
    assertThat(report.summary()).startsWith("stopped: verification of step \"Restart pods\" failed");
    assertThat(world.executor.calls(Purpose.VERIFY)).as("the playbook's verification never ran").isEmpty();
  }

  @Test
  void execute_asOnePlay_whenEveryStepVerificationPasses_foldsItIntoItsStepAndVerifiesThePlaybook() {
    world.executor.asOnePlay();
    String id = world.approved(threeSteps());

    ExecutionReport report = world.execute.execute(id);

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(report.steps()).extracting(StepResult::name)
        .containsExactly("Raise pool", "Restart pods", "Warm cache", "Check latency");
    assertThat(result(report, "Restart pods").detail()).endsWith("post-check \"Check pods ready\" succeeded: ok");
  }

  @Test
  void progress_whenAStepVerificationFinishesLater_keepsItsPhaseOnTheIncidentAndResumesInAFreshInstance() {
    RecordingExecutor slow = RecordingExecutor.succeeding(world.clock).finishAfterPolls(1).failAction(
        "Check pods ready");
    String id = world.approved(threeSteps());

    world.executing(slow, List.of()).execute(id); // Raise pool sent
    world.executing(slow, List.of()).progress(id); // Raise pool done, Restart pods sent
    ExecutionReport waiting = world.executing(slow, List.of()).progress(id); // Restart pods done, its check sent

    ExecutionProgress progress = world.incident(id).execution().progress();
    assertThat(waiting.outcome()).isEqualTo(Outcome.RUNNING);
    assertThat(progress.phase()).isEqualTo(ExecutionProgress.Phase.STEP_CHECK);
    assertThat(progress.next()).as("the step whose verification runs").isEqualTo(1);
    assertThat(progress.handle()).isEqualTo("run-3");
    RecordingExecutor.Call sent = slow.calls().get(slow.calls().size() - 1);
    assertThat(sent.purpose()).isEqualTo(Purpose.VERIFY);
    assertThat(sent.actions()).containsExactly("Check pods ready");

    // another call (a later Lambda invocation) picks the check up from the stored progress
    ExecutionReport rollingBack = world.executing(slow, List.of()).progress(id);
    assertThat(rollingBack.progress().phase()).isEqualTo(ExecutionProgress.Phase.ROLLBACK);
    world.executing(slow, List.of()).progress(id);
    ExecutionReport done = world.executing(slow, List.of()).progress(id);

    assertThat(slow.calls()).extracting(RecordingExecutor.Call::actions).containsExactly(
        List.of("Raise pool"), List.of("Restart pods"), List.of("Check pods ready"), List.of("Restart pods again"),
        List.of("Restore pool"));
    assertThat(done.outcome()).isEqualTo(Outcome.PARTIALLY_REMEDIATED);
    assertThat(done.summary()).startsWith("stopped: verification of step \"Restart pods\" failed");
  }

  @Test
  void progress_whenAPassingStepVerificationFinishesLater_goesOnWithTheNextStep() {
    world.executor.finishAfterPolls(1);
    String id = world.approved(threeSteps());

    ExecutionReport report = world.execute.execute(id);
    while (!report.finished()) {
      report = world.execute.progress(id);
    }

    assertThat(world.executor.actionsRun())
        .containsExactly("Raise pool", "Restart pods", "Check pods ready", "Warm cache", "Check latency");
    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
  }

  @Test
  void progress_whenAStepVerificationOutlivesTheTimeout_cancelsItAndStopsAsAFailedPostCheck() {
    world.executor.finishAfterPolls(1);
    String id = world.approved(threeSteps());
    world.execute.execute(id); // Raise pool sent
    world.execute.progress(id); // done, Restart pods sent
    world.execute.progress(id); // done, its check sent as run-3

    world.clock.advance(ExecutePlaybook.DEFAULT_RUN_TIMEOUT.plusSeconds(1));
    ExecutionReport report = world.execute.progress(id);
    while (!report.finished()) {
      report = world.execute.progress(id);
    }

    assertThat(world.executor.cancelled()).containsExactly("run-3");
    assertThat(report.summary()).startsWith("stopped: verification of step \"Restart pods\" failed: timed out after 900s");
    assertThat(result(report, "Restart pods").status()).isEqualTo(Status.ROLLED_BACK);
    assertThat(result(report, "Raise pool").status()).isEqualTo(Status.ROLLED_BACK);
  }

  @Test
  void requestApproval_evidenceShowsEachStepsVerificationNextToItsRollback() {
    world.playbooks.create(threeSteps());
    Incident incident = world.detected(Alerts.highLatency());
    world.match.match(incident.id());
    world.decide(RemediationPolicy.defaults()).decide(incident.id());

    world.requestApproval.request(incident.id(), "token-1", Duration.ofHours(1));

    assertThat(world.notifier.last().evidence())
        .contains("Plan (risk as computed by Reflex; rollback; post-check):")
        .containsPattern("1\\. Raise pool \\[[a-z_]+] ansible\\.builtin\\.command; rollback: Restore pool; post-check: none")
        .containsPattern("2\\. Restart pods \\[[a-z_]+] ansible\\.builtin\\.command; rollback: Restart pods again;"
            + " post-check: Check pods ready");
  }
}
