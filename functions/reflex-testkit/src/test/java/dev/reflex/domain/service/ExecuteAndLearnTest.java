package dev.reflex.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.error.PlanRefusedException;
import dev.reflex.domain.model.Approval;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.policy.RemediationPolicy;
import dev.reflex.testkit.Alerts;
import dev.reflex.testkit.Playbooks;
import dev.reflex.testkit.RecordingExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ExecuteAndLearnTest {

  private final World world = new World();

  private String decided(Playbook playbook, RemediationPolicy policy, dev.reflex.domain.model.Alert alert) {
    if (world.playbooks.find(playbook.id()).isEmpty()) {
      world.playbooks.create(playbook);
    }
    Incident incident = world.detected(alert);
    world.match.match(incident.id());
    world.decide(policy).decide(incident.id());
    return incident.id();
  }

  private String approved(Playbook playbook) {
    String id = decided(playbook, RemediationPolicy.defaults(), Alerts.highLatency());
    Approval approval = world.requestApproval.request(id, "token-" + id, Duration.ofHours(1));
    world.resolveApproval.decideAsOperator(approval.id(), true, "operator", "");
    return id;
  }

  @Test
  void execute_approvedIncident_runsWithBoundParameters() {
    String id = approved(Playbooks.catalog("db-pool", "high_latency", 0.8));

    ExecutionReport report = world.execute.execute(id);

    assertThat(report.success()).isTrue();
    assertThat(world.executor.calls()).extracting(RecordingExecutor.Call::actions)
        .containsExactly(List.of("Inspect pods"), List.of("Rolling restart"));
    assertThat(world.executor.calls()).allSatisfy(call ->
        assertThat(call.parameters()).containsEntry("service", "payment-api").containsEntry("namespace", "default"));
    assertThat(world.incident(id).execution()).isEqualTo(report);
    assertThat(world.incident(id).status()).isEqualTo(IncidentStatus.EXECUTING);
  }

  @Test
  void execute_whenApprovalRequiredButNotApproved_isRefused() {
    String id = decided(Playbooks.catalog("db-pool", "high_latency", 0.8), RemediationPolicy.defaults(),
        Alerts.highLatency());

    assertThatThrownBy(() -> world.execute.execute(id)).isInstanceOf(PlanRefusedException.class)
        .hasMessageContaining("requires approval");
    assertThat(world.executor.calls()).isEmpty();
  }

  @Test
  void execute_whenDecisionRefused_isRefused() {
    String id = decided(Playbooks.catalog("db-pool", "other_type", 0.8), RemediationPolicy.defaults(),
        Alerts.highLatency());

    assertThatThrownBy(() -> world.execute.execute(id)).isInstanceOf(PlanRefusedException.class);
    assertThat(world.executor.calls()).isEmpty();
  }

  @Test
  void execute_withoutDecision_isRefused() {
    Incident incident = world.detected(Alerts.highLatency());
    assertThatThrownBy(() -> world.execute.execute(incident.id())).isInstanceOf(PlanRefusedException.class);
  }

  @Test
  void execute_readOnlyPlanWithAutoRemediation_runsWithoutApproval() {
    Playbook readOnly = Playbooks.builder("inspect").anomalyType("high_latency").confidence(0.95)
        .steps(Playbooks.inspectPods()).build();
    String id = decided(readOnly, new RemediationPolicy(true, 0.9), Alerts.highLatency());

    assertThat(world.execute.execute(id).success()).isTrue();
  }

  @Test
  void execute_hostileLabel_failsIncidentAndNeverRuns() {
    Playbook readOnly = Playbooks.builder("inspect").anomalyType("high_latency").confidence(0.95)
        .steps(Playbooks.inspectPods()).build();
    String id = decided(readOnly, new RemediationPolicy(true, 0.9), Alerts.builder("HighLatency")
        .label("service", "api; rm -rf /").label("region", "india").build());

    ExecutionReport report = world.execute.execute(id);

    assertThat(report.success()).isFalse();
    assertThat(report.summary()).contains("service").doesNotContain("rm -rf");
    assertThat(report.steps()).allSatisfy(step ->
        assertThat(step.status()).isEqualTo(ExecutionReport.StepResult.Status.SKIPPED));
    assertThat(report.outcome()).isEqualTo(ExecutionReport.Outcome.NOT_RUN);
    assertThat(world.executor.calls()).isEmpty();
    assertThat(world.incident(id).status()).isEqualTo(IncidentStatus.FAILED);
    assertThat(world.incident(id).timeline()).last().extracting(Incident.TimelineEntry::message).asString()
        .contains("nothing ran").contains("parameter service").doesNotContain("rm -rf");
    assertThat(world.onCall.notices()).singleElement()
        .satisfies(notice -> assertThat(notice.summary()).contains("service").doesNotContain("rm -rf"));
  }

  @Test
  void execute_commandSubstitutionInLabel_isRefusedBeforeAnythingIsSent() {
    Playbook readOnly = Playbooks.builder("inspect").anomalyType("high_latency").confidence(0.95)
        .steps(Playbooks.inspectPods()).build();
    String id = decided(readOnly, new RemediationPolicy(true, 0.9), Alerts.builder("HighLatency")
        .label("service", "$(curl x)").label("region", "india").build());

    ExecutionReport report = world.execute.execute(id);

    assertThat(report.outcome()).isEqualTo(ExecutionReport.Outcome.NOT_RUN);
    assertThat(report.summary()).contains("parameter service does not match its pattern").doesNotContain("curl");
    assertThat(world.executor.calls()).isEmpty();
  }

  @Test
  void learn_whenNothingRan_doesNotJudgeThePlaybook() {
    Playbook readOnly = Playbooks.builder("inspect").anomalyType("high_latency").confidence(0.95)
        .steps(Playbooks.inspectPods()).build();
    String id = decided(readOnly, new RemediationPolicy(true, 0.9), Alerts.builder("HighLatency")
        .label("service", "api; rm -rf /").label("region", "india").build());
    world.execute.execute(id);

    Incident incident = world.learn.learn(id);

    assertThat(world.playbooks.get("inspect").stats()).isEqualTo(readOnly.stats());
    assertThat(incident.status()).isEqualTo(IncidentStatus.FAILED);
    assertThat(incident.timeline()).last().extracting(Incident.TimelineEntry::message).asString()
        .contains("not judged");
  }

  @Test
  void execute_retried_returnsRecordedReportWithoutRunningAgain() {
    String id = approved(Playbooks.catalog("db-pool", "high_latency", 0.8));

    ExecutionReport first = world.execute.execute(id);
    ExecutionReport again = world.execute.execute(id);

    assertThat(again).isEqualTo(first);
    assertThat(world.executor.calls()).hasSize(2);
  }

  @Test
  void learn_whenCommandsSucceededAndAlertResolved_raisesConfidenceAndResolves() {
    String id = approved(Playbooks.catalog("db-pool", "high_latency", 0.75));
    world.execute.execute(id);
    world.alertResolves(id);

    Incident incident = world.learn.learn(id);

    assertThat(world.playbooks.get("db-pool").stats().confidence()).isEqualTo(0.80);
    assertThat(world.playbooks.get("db-pool").stats().successCount()).isEqualTo(1);
    assertThat(incident.status()).isEqualTo(IncidentStatus.RESOLVED);
    assertThat(incident.timeline()).last().extracting(Incident.TimelineEntry::message).asString()
        .startsWith("resolved by db-pool@1.0.0, execution apply, alert resolved at");
  }

  @Test
  void learn_whenCommandsSucceededButAlertNeverResolved_countsAFailureForLearning() {
    String id = approved(Playbooks.catalog("db-pool", "high_latency", 0.75));
    ExecutionReport report = world.execute.execute(id);
    assertThat(report.success()).isTrue();
    assertThat(world.resolution.check(id).resolved()).isFalse();

    Incident incident = world.learn.learn(id);

    PlaybookStats stats = world.playbooks.get("db-pool").stats();
    assertThat(stats.confidence()).isEqualTo(0.65);
    assertThat(stats.failureCount()).isEqualTo(1);
    assertThat(stats.successCount()).isZero();
    assertThat(incident.status()).isEqualTo(IncidentStatus.FAILED);
    assertThat(incident.timeline()).last().extracting(Incident.TimelineEntry::message).asString()
        .contains("verification failed").contains("succeeded but the alert HighLatency had not resolved");
  }

  @Test
  void checkResolution_afterAlertmanagerSendsResolved_isResolved() {
    String id = approved(Playbooks.catalog("db-pool", "high_latency", 0.75));
    world.execute.execute(id);
    assertThat(world.resolution.check(id).resolved()).isFalse();

    world.alertResolves(id);

    assertThat(world.resolution.check(id)).satisfies(r -> {
      assertThat(r.resolved()).isTrue();
      assertThat(r.resolvedAt()).isEqualTo(world.clock.instant());
    });
  }

  @Test
  void learn_whileExecutionRuns_isRefusedNamingTheExecution() {
    world.executor.finishAfterPolls(2);
    String id = approved(Playbooks.catalog("db-pool", "high_latency", 0.75));
    world.execute.execute(id);

    assertThatThrownBy(() -> world.learn.learn(id))
        .isInstanceOfSatisfying(dev.reflex.domain.error.InvalidInputException.class,
            e -> assertThat(e.field()).isEqualTo("execution"));
  }

  @Test
  void learn_failure_lowersConfidenceAndFails() {
    world.executor.willSucceed(false);
    String id = approved(Playbooks.catalog("db-pool", "high_latency", 0.75));
    world.execute.execute(id);

    Incident incident = world.learn.learn(id);

    PlaybookStats stats = world.playbooks.get("db-pool").stats();
    assertThat(stats.confidence()).isEqualTo(0.65);
    assertThat(stats.failureCount()).isEqualTo(1);
    assertThat(stats.consecutiveFailures()).isEqualTo(1);
    assertThat(incident.status()).isEqualTo(IncidentStatus.FAILED);
    assertThat(incident.timeline()).last().extracting(Incident.TimelineEntry::message).asString()
        .contains("manual intervention needed");
  }

  @Test
  void learn_retried_countsTheIncidentOnce() {
    String id = approved(Playbooks.catalog("db-pool", "high_latency", 0.75));
    world.execute.execute(id);
    world.alertResolves(id);

    world.learn.learn(id);
    world.learn.learn(id);

    assertThat(world.playbooks.get("db-pool").stats().successCount()).isEqualTo(1);
    assertThat(world.playbooks.get("db-pool").stats().confidence()).isEqualTo(0.80);
  }

  @Test
  void learn_twentyConcurrentOutcomes_areAllCounted() throws Exception {
    world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.75));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      world.executor.willSucceed(i % 2 == 0);
      ids.add(approvedRecurrence(i));
      world.execute.execute(ids.get(i));
      world.alertResolves(ids.get(i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(20);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Incident>> futures = new ArrayList<>();
    for (String id : ids) {
      futures.add(pool.submit(() -> {
        start.await();
        return world.learn.learn(id);
      }));
    }
    start.countDown();
    for (Future<Incident> future : futures) {
      future.get();
    }
    pool.shutdown();

    PlaybookStats stats = world.playbooks.get("db-pool").stats();
    assertThat(stats.successCount()).isEqualTo(10);
    assertThat(stats.failureCount()).isEqualTo(10);
    assertThat(world.playbooks.updates()).isEqualTo(20);
  }

  private String approvedRecurrence(int i) {
    var alert = Alerts.recurrence(Alerts.highLatency(), Alerts.STARTS_AT.plus(Duration.ofHours(i)));
    Incident incident = world.detected(alert);
    world.match.match(incident.id());
    world.decide(RemediationPolicy.defaults()).decide(incident.id());
    Approval approval = world.requestApproval.request(incident.id(), "token-" + i, Duration.ofHours(1));
    world.resolveApproval.decideAsOperator(approval.id(), true, "operator", "");
    return incident.id();
  }
}
