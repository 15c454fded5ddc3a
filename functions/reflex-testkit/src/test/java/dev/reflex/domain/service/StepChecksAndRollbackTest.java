package dev.reflex.domain.service;

import static dev.reflex.domain.service.Steps.command;
import static dev.reflex.domain.service.Steps.read;
import static dev.reflex.domain.service.Steps.result;
import static dev.reflex.domain.service.Steps.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.execution.RateLimitPreCheck;
import dev.reflex.domain.execution.StepPreCheck;
import dev.reflex.domain.execution.TargetHealthPreCheck;
import dev.reflex.domain.execution.TimeWindowPreCheck;
import dev.reflex.domain.model.Decision;
import dev.reflex.domain.model.ExecutionPass.Purpose;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.ExecutionReport.Outcome;
import dev.reflex.domain.model.ExecutionReport.StepResult;
import dev.reflex.domain.model.ExecutionReport.StepResult.Status;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.policy.AllowedHours;
import dev.reflex.domain.policy.Policy;
import dev.reflex.domain.policy.RateLimits;
import dev.reflex.testkit.Alerts;
import dev.reflex.testkit.FixedPolicySource;
import dev.reflex.testkit.InMemoryActionCounters;
import dev.reflex.testkit.Playbooks;
import dev.reflex.testkit.RecordingExecutor;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Pre-checks before steps, the verification after them, and rollback when the remediation stops. */
class StepChecksAndRollbackTest {

  private final World world = new World();

  // ---------------------------------------------------------------- fixtures

  /** Inspect (read), then three writes: A and B can be undone, C has no rollback; verification "Check latency". */
  private static Playbook fourSteps() {
    return Playbooks.builder("pool-fix").anomalyType("high_latency").confidence(0.8)
        .steps(read("Inspect"), write("Raise pool", "Restore pool"), write("Restart pods", "Restart pods again"),
            write("Flush cache", null))
        .verification(command("Check latency"))
        .build();
  }

  /** An incident whose (policy engine) decision let the plan run without approval. */
  private String automatic(Playbook playbook) {
    world.playbooks.create(playbook);
    Incident incident = world.detected(Alerts.highLatency());
    world.match.match(incident.id());
    Incident matched = world.incident(incident.id());
    world.incidents.update(matched.toBuilder().playbook(playbook.id(), playbook.version())
        .decision(new Decision(true, false, RiskClass.SAFE_WRITE, List.of("auto: every check passed"))).build());
    return incident.id();
  }

  // ---------------------------------------------------------------- rollback

  @Test
  void execute_whenStepFails_runsDeclaredRollbacksOfExecutedStepsInReverseOrder() {
    world.executor.failAction("Flush cache");
    String id = world.approved(fourSteps());

    ExecutionReport report = world.execute.execute(id);

    assertThat(world.executor.actionsRun()).containsExactly(
        "Inspect", "Raise pool", "Restart pods", "Flush cache", "Restart pods again", "Restore pool");
    assertThat(world.executor.calls(Purpose.ROLLBACK)).extracting(RecordingExecutor.Call::actions)
        .containsExactly(List.of("Restart pods again"), List.of("Restore pool"));
    assertThat(report.outcome()).isEqualTo(Outcome.PARTIALLY_REMEDIATED);
    assertThat(report.success()).isFalse();
    assertThat(report.steps()).extracting(StepResult::name, StepResult::status).containsExactly(
        org.assertj.core.groups.Tuple.tuple("Inspect", Status.SUCCEEDED),
        org.assertj.core.groups.Tuple.tuple("Raise pool", Status.ROLLED_BACK),
        org.assertj.core.groups.Tuple.tuple("Restart pods", Status.ROLLED_BACK),
        org.assertj.core.groups.Tuple.tuple("Flush cache", Status.FAILED),
        org.assertj.core.groups.Tuple.tuple("Restart pods again", Status.SUCCEEDED),
        org.assertj.core.groups.Tuple.tuple("Restore pool", Status.SUCCEEDED));
    assertThat(result(report, "Restore pool").detail()).startsWith("rollback of \"Raise pool\"");
    assertThat(report.summary()).contains("step \"Flush cache\" failed")
        .contains("rolled back (last first): Restart pods, Raise pool");
    assertThat(world.executor.calls(Purpose.VERIFY)).as("no verification after a failure").isEmpty();
    Incident incident = world.incident(id);
    assertThat(incident.status()).isEqualTo(IncidentStatus.PARTIALLY_REMEDIATED);
    assertThat(incident.execution()).isEqualTo(report);
    assertThat(incident.timeline()).last().extracting(Incident.TimelineEntry::message).asString()
        .startsWith("execution failed (apply), PARTIALLY_REMEDIATED").endsWith("on-call notified");
    assertThat(world.onCall.notices()).singleElement().satisfies(notice -> {
      assertThat(notice.incidentId()).isEqualTo(id);
      assertThat(notice.status()).isEqualTo(IncidentStatus.PARTIALLY_REMEDIATED);
      assertThat(notice.summary()).contains("Flush cache");
    });
  }

  @Test
  void execute_whenNoWriteStepRanBeforeTheFailure_isFailedAndRollsNothingBack() {
    world.executor.failAction("Raise pool");
    String id = world.approved(fourSteps());

    ExecutionReport report = world.execute.execute(id);

    assertThat(report.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(world.executor.calls(Purpose.ROLLBACK)).isEmpty();
    assertThat(report.steps()).extracting(StepResult::status)
        .containsExactly(Status.SUCCEEDED, Status.FAILED, Status.SKIPPED, Status.SKIPPED);
    assertThat(result(report, "Restart pods").detail()).isEqualTo("not run: the remediation stopped");
    assertThat(world.incident(id).status()).isEqualTo(IncidentStatus.FAILED);
    assertThat(world.onCall.notices()).singleElement()
        .satisfies(notice -> assertThat(notice.status()).isEqualTo(IncidentStatus.FAILED));
  }

  @Test
  void execute_whenVerificationFails_treatsItAsAFailedPostCheckAndRollsBackEveryStep() {
    world.executor.failAction("Check latency");
    String id = world.approved(fourSteps());

    ExecutionReport report = world.execute.execute(id);

    assertThat(world.executor.calls()).extracting(RecordingExecutor.Call::purpose).containsExactly(
        Purpose.REMEDIATE, Purpose.REMEDIATE, Purpose.REMEDIATE, Purpose.REMEDIATE, Purpose.VERIFY,
        Purpose.ROLLBACK, Purpose.ROLLBACK);
    assertThat(report.outcome()).isEqualTo(Outcome.PARTIALLY_REMEDIATED);
    assertThat(result(report, "Check latency").status()).isEqualTo(Status.FAILED);
    assertThat(result(report, "Check latency").detail()).startsWith("verification");
    assertThat(result(report, "Flush cache").detail()).endsWith("left in place: no rollback declared");
    assertThat(report.summary()).contains("verification \"Check latency\" failed")
        .contains("left in place: Flush cache");
  }

  @Test
  void execute_whenARollbackFails_stopsUndoingAndLeavesTheEarlierStepsInPlace() {
    world.executor.failAction("Flush cache").failAction("Restart pods again");
    String id = world.approved(fourSteps());

    ExecutionReport report = world.execute.execute(id);

    assertThat(world.executor.calls(Purpose.ROLLBACK)).extracting(RecordingExecutor.Call::actions)
        .containsExactly(List.of("Restart pods again"));
    assertThat(result(report, "Restart pods").status()).isEqualTo(Status.SUCCEEDED);
    assertThat(result(report, "Restart pods").detail()).contains("rollback \"Restart pods again\" failed: left in place");
    assertThat(result(report, "Raise pool").detail()).contains("not rolled back (an earlier rollback failed)");
    assertThat(report.outcome()).isEqualTo(Outcome.PARTIALLY_REMEDIATED);
  }

  @Test
  void execute_whenAllStepsAndVerificationPass_succeedsAndNotifiesNobody() {
    String id = world.approved(fourSteps());

    ExecutionReport report = world.execute.execute(id);

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(report.finished()).isTrue();
    assertThat(report.progress()).isNull();
    assertThat(report.steps()).extracting(StepResult::name)
        .containsExactly("Inspect", "Raise pool", "Restart pods", "Flush cache", "Check latency");
    assertThat(world.incident(id).status()).isEqualTo(IncidentStatus.EXECUTING);
    assertThat(world.onCall.notices()).isEmpty();
  }

  // ---------------------------------------------------------------- pre-checks

  @Test
  void execute_whenAPreCheckRefusesAStep_stopsBeforeItAndRollsBackWhatRan() {
    StepPreCheck refusesRestart = new StepPreCheck() {
      @Override
      public String name() {
        return "maintenance_freeze";
      }

      @Override
      public Optional<String> refuse(Incident incident, List<PlaybookStep> steps,
          dev.reflex.domain.model.ExecutionPass pass, Instant now) {
        return steps.get(0).name().equals("Restart pods") ? Optional.of("a freeze is on") : Optional.empty();
      }
    };
    String id = world.approved(fourSteps());

    ExecutionReport report = world.executing(world.executor, List.of(refusesRestart)).execute(id);

    assertThat(world.executor.actionsRun()).containsExactly("Inspect", "Raise pool", "Restore pool");
    assertThat(result(report, "Restart pods").status()).isEqualTo(Status.SKIPPED);
    assertThat(result(report, "Restart pods").detail())
        .isEqualTo("not run: pre-check maintenance_freeze refused: a freeze is on");
    assertThat(result(report, "Raise pool").status()).isEqualTo(Status.ROLLED_BACK);
    assertThat(report.outcome()).isEqualTo(Outcome.PARTIALLY_REMEDIATED);
    assertThat(report.summary()).contains("pre-check maintenance_freeze refused step \"Restart pods\"");
  }

  @Test
  void execute_whenTargetsAreUnhealthy_runsNothing() {
    world.executor.unhealthyTargets("instance i-0abc is ConnectionLost");
    String id = world.approved(fourSteps());

    ExecutionReport report = world.execute.execute(id);

    assertThat(world.executor.calls()).isEmpty();
    assertThat(report.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result(report, "Inspect").detail())
        .isEqualTo("not run: pre-check target_health refused: instance i-0abc is ConnectionLost");
  }

  @Test
  void execute_whenTimeWindowClosesDuringAnUnapprovedRun_refusesTheNextWriteStep() {
    world.clock.set(Instant.parse("2025-03-14T17:58:00Z")); // a Friday, two minutes before the window closes
    FixedPolicySource policies = new FixedPolicySource(Policy.defaults().toBuilder().name("default.yml")
        .allowedHours(new AllowedHours(ZoneOffset.UTC, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
            LocalTime.of(8, 0), LocalTime.of(18, 0)))
        .build());
    RecordingExecutor slow = RecordingExecutor.succeeding(world.clock).finishAfterPolls(1);
    ExecutePlaybook execute = world.executing(slow, List.of(new TimeWindowPreCheck(policies)));
    String id = automatic(fourSteps());

    assertThat(execute.execute(id).outcome()).isEqualTo(Outcome.RUNNING); // Inspect sent
    execute.progress(id); // Inspect done; Raise pool sent at 17:58, inside the window
    world.clock.advance(Duration.ofMinutes(5));
    ExecutionReport report = execute.progress(id); // Raise pool done at 18:03; Restart pods refused

    assertThat(slow.calls(Purpose.REMEDIATE)).extracting(RecordingExecutor.Call::actions)
        .containsExactly(List.of("Inspect"), List.of("Raise pool"));
    assertThat(result(report, "Restart pods").detail()).contains("pre-check time_window refused")
        .contains("outside allowed_hours");
    assertThat(slow.calls(Purpose.ROLLBACK)).extracting(RecordingExecutor.Call::actions)
        .containsExactly(List.of("Restore pool"));
  }

  @Test
  void timeWindow_whenAPersonApprovedThePlan_doesNotApply() {
    world.clock.set(Instant.parse("2025-03-15T03:00:00Z")); // a Saturday night
    FixedPolicySource policies = new FixedPolicySource(Policy.defaults().toBuilder().name("default.yml")
        .allowedHours(new AllowedHours(ZoneOffset.UTC, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
            LocalTime.of(8, 0), LocalTime.of(18, 0)))
        .build());
    String id = world.approved(fourSteps());

    ExecutionReport report = world.executing(world.executor, List.of(new TimeWindowPreCheck(policies))).execute(id);

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
  }

  @Test
  void rateLimit_countsEachWriteStepAndRefusesTheOneOverTheLimit() {
    FixedPolicySource policies = new FixedPolicySource(Policy.defaults().toBuilder().name("default.yml")
        .limits(new RateLimits(null, 2, null, null)).build());
    InMemoryActionCounters counters = new InMemoryActionCounters(world.clock);
    String id = world.approved(fourSteps());

    ExecutionReport report = world.executing(world.executor, List.of(new RateLimitPreCheck(policies, counters, 20)))
        .execute(id);

    assertThat(world.executor.calls(Purpose.REMEDIATE)).extracting(RecordingExecutor.Call::actions)
        .containsExactly(List.of("Inspect"), List.of("Raise pool"), List.of("Restart pods"));
    assertThat(result(report, "Flush cache").detail()).contains("pre-check rate_limit refused")
        .contains("would exceed 2 write steps per hour");
    assertThat(counters.count(RateLimitPreCheck.SCOPE, "payment-api", RateLimitPreCheck.WINDOW)).isEqualTo(2);
  }

  @Test
  void rateLimit_aWholePlayWithMoreWritesThanTheWindowHas_isRefusedAndTakesNoSlot() {
    FixedPolicySource policies = new FixedPolicySource(Policy.defaults().toBuilder().name("default.yml")
        .limits(new RateLimits(null, 2, null, null)).build());
    InMemoryActionCounters counters = new InMemoryActionCounters(world.clock);
    world.executor.asOnePlay();
    String id = world.approved(fourSteps());

    ExecutionReport report = world.executing(world.executor, List.of(new RateLimitPreCheck(policies, counters, 20)))
        .execute(id);

    assertThat(world.executor.calls(Purpose.REMEDIATE)).as("the play is not sent").isEmpty();
    assertThat(result(report, "Raise pool").detail()).contains("pre-check rate_limit refused")
        .contains("3 write steps from \"Raise pool\" would exceed 2 write steps per hour");
    assertThat(counters.count(RateLimitPreCheck.SCOPE, "payment-api", RateLimitPreCheck.WINDOW))
        .as("a refused pass takes no slot").isZero();
  }

  @Test
  void rateLimit_aWholePlayThatFits_takesOneSlotPerWriteStep() {
    FixedPolicySource policies = new FixedPolicySource(Policy.defaults().toBuilder().name("default.yml")
        .limits(new RateLimits(null, 3, null, null)).build());
    InMemoryActionCounters counters = new InMemoryActionCounters(world.clock);
    world.executor.asOnePlay();
    String id = world.approved(fourSteps());

    world.executing(world.executor, List.of(new RateLimitPreCheck(policies, counters, 20))).execute(id);

    assertThat(world.executor.calls(Purpose.REMEDIATE)).hasSize(1);
    assertThat(counters.count(RateLimitPreCheck.SCOPE, "payment-api", RateLimitPreCheck.WINDOW)).isEqualTo(3);
  }

  // ---------------------------------------------------------------- passes that finish later

  @Test
  void execute_whenPassesFinishLater_startsThenProgressPollsUntilDone() {
    world.executor.finishAfterPolls(2);
    String id = world.approved(Playbooks.catalog("db-pool", "high_latency", 0.8));

    ExecutionReport sent = world.execute.execute(id);
    ExecutionReport first = world.execute.progress(id);
    ExecutionReport second = world.execute.progress(id);

    assertThat(sent.outcome()).isEqualTo(Outcome.RUNNING);
    assertThat(sent.progress().handle()).isEqualTo("run-1");
    assertThat(first.progress().polls()).isEqualTo(1);
    assertThat(second.outcome()).isEqualTo(Outcome.RUNNING);
    assertThat(second.progress().handle()).as("step 1 done, step 2 sent").isEqualTo("run-2");
    assertThat(world.execute.progress(id).outcome()).isEqualTo(Outcome.RUNNING);
    ExecutionReport done = world.execute.progress(id);
    assertThat(done.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(world.executor.polls()).isEqualTo(4);
    assertThat(world.execute.progress(id)).as("finished: returned as is").isEqualTo(done);
    assertThat(world.executor.polls()).isEqualTo(4);
  }

  @Test
  void execute_retriedWhileRunning_pollsInsteadOfSendingAgain() {
    world.executor.finishAfterPolls(3);
    String id = world.approved(Playbooks.catalog("db-pool", "high_latency", 0.8));

    world.execute.execute(id);
    world.execute.execute(id);

    assertThat(world.executor.calls()).hasSize(1);
    assertThat(world.executor.polls()).isEqualTo(1);
  }

  @Test
  void execute_whenAPassOutlivesTheTimeout_cancelsItAndStops() {
    world.executor.finishAfterPolls(100);
    String id = world.approved(fourSteps());
    world.execute.execute(id); // Inspect sent
    world.executor.finishAfterPolls(0);

    world.clock.advance(ExecutePlaybook.DEFAULT_RUN_TIMEOUT.plusSeconds(1));
    ExecutionReport report = world.execute.progress(id);

    assertThat(world.executor.cancelled()).containsExactly("run-1");
    assertThat(result(report, "Inspect").status()).isEqualTo(Status.FAILED);
    assertThat(result(report, "Inspect").detail()).startsWith("timed out after 900s");
    assertThat(report.outcome()).isEqualTo(Outcome.FAILED);
  }

  @Test
  void execute_asOnePlay_runsTheStepsInOnePassAndRollsBackInOnePass() {
    world.executor.asOnePlay().failAction("Flush cache");
    String id = world.approved(fourSteps());

    ExecutionReport report = world.execute.execute(id);

    assertThat(world.executor.calls()).extracting(RecordingExecutor.Call::purpose, RecordingExecutor.Call::actions)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Purpose.REMEDIATE,
                List.of("Inspect", "Raise pool", "Restart pods", "Flush cache")),
            org.assertj.core.groups.Tuple.tuple(Purpose.ROLLBACK, List.of("Restart pods again", "Restore pool")));
    assertThat(report.outcome()).isEqualTo(Outcome.PARTIALLY_REMEDIATED);
  }

  @Test
  void execute_whenThePlaybookChangesWhileRunning_stopsWithoutRunningOldRollbacks() {
    world.executor.finishAfterPolls(1);
    String id = world.approved(fourSteps());
    world.execute.execute(id);
    world.execute.progress(id); // Inspect done, Raise pool sent
    Playbook stored = world.playbooks.get("pool-fix");
    world.playbooks.update(new Playbook(stored.id(), "1.1.0", stored.title(), stored.source(), stored.status(),
        stored.anomalyTypes(), stored.signaturePatterns(), stored.signature(), stored.description(), stored.guidance(),
        stored.parameters(), stored.steps(), stored.verification(), stored.stats(), stored.supportingIncidents(),
        stored.evidenceText(), stored.branch(), stored.commitSha(), stored.revision()));

    ExecutionReport report = world.execute.progress(id);

    assertThat(report.finished()).isTrue();
    assertThat(report.summary()).contains("changed or was removed during the execution");
    assertThat(world.executor.calls(Purpose.ROLLBACK)).isEmpty();
    assertThat(world.onCall.notices()).hasSize(1);
  }

  @Test
  void execute_recordsEveryPassThatChangedThingsBeforeStartingTheNext() {
    String id = world.approved(fourSteps());
    long before = world.incident(id).revision();

    world.execute.execute(id);

    // begin, each of the four applied steps, the move to the verification, the end
    assertThat(world.incident(id).revision() - before).isEqualTo(7);
  }

  @Test
  void execute_inDryRunMode_writesOnlyTheBeginningAndTheEnd() {
    RecordingExecutor dryRun = new RecordingExecutor(true, ExecutionReport.Mode.DRY_RUN, world.clock);
    String id = world.approved(fourSteps());
    long before = world.incident(id).revision();

    ExecutionReport report = world.executing(dryRun, List.of()).execute(id);

    assertThat(report.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(report.steps()).extracting(StepResult::status).containsOnly(Status.SIMULATED);
    assertThat(world.incident(id).revision() - before).isEqualTo(2);
  }

  @Test
  void targetHealthPreCheck_asksTheExecutor() {
    RecordingExecutor executor = RecordingExecutor.succeeding(world.clock).unhealthyTargets("offline");
    assertThat(new TargetHealthPreCheck(executor).refuse(null, List.of(), null, Instant.EPOCH)).contains("offline");
  }
}
