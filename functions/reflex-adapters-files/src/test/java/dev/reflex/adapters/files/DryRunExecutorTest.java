package dev.reflex.adapters.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.ExecutionPass;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.ExecutionRun;
import dev.reflex.domain.model.ExecutionReport.Mode;
import dev.reflex.domain.model.ExecutionReport.StepResult;
import dev.reflex.domain.model.ExecutionReport.StepResult.Status;
import dev.reflex.domain.model.Playbook;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DryRunExecutorTest {

  final DryRunExecutor executor = new DryRunExecutor();

  @Test
  void execute_whenDraft_describesEachStepWithParametersForDisplay() {
    ExecutionReport report = executor.execute("inc-1", TestPlaybooks.learnedDraft(),
        Map.of("service", "payment-api", "namespace", "payments"));

    assertThat(report.executor()).isEqualTo("dry-run");
    assertThat(report.mode()).isEqualTo(Mode.DRY_RUN);
    assertThat(report.success()).isTrue();
    assertThat(report.steps()).extracting(StepResult::status).containsExactly(
        Status.NOT_SIMULATED, Status.NOT_SIMULATED, Status.SIMULATED, Status.SIMULATED);
    assertThat(report.steps().get(1).detail())
        .startsWith("would run kubectl -n payments scale deployment/payment-api --replicas=4")
        .contains("rollback: would run kubectl -n payments scale deployment/payment-api --replicas=2");
    assertThat(report.steps().get(2).detail()).isEqualTo("would make unit payment-api restarted; no rollback declared");
    assertThat(report.steps().get(3).detail())
        .isEqualTo("verification: would send GET http://payment-api.payments.svc:8080/health expecting status 200");
    assertThat(report.notSimulated()).containsExactly("Inspect deployment", "Scale up");
    assertThat(report.summary()).contains("nothing was executed");
  }

  @Test
  void execute_listsAStepsOwnVerificationRightAfterItsStep() {
    ExecutionReport report = executor.execute("inc-1", TestPlaybooks.learnedDraftWithStepVerification(),
        Map.of("service", "payment-api", "namespace", "payments"));

    assertThat(report.steps()).extracting(StepResult::name).containsExactly(
        "Inspect deployment", "Scale up", "Check the rollout", "Restart unit", "Check health");
    assertThat(report.steps().get(2).status()).isEqualTo(Status.NOT_SIMULATED);
    assertThat(report.steps().get(2).detail()).startsWith(
        "would check that step \"Scale up\" worked: run kubectl -n payments rollout status deployment/payment-api");
    assertThat(report.notSimulated()).containsExactly("Inspect deployment", "Scale up", "Check the rollout");
    assertThat(report.summary()).contains("3 steps and 1 post-check(s)");
  }

  @Test
  void start_whenTheVerifyPassIsAStepsOwnVerification_describesWhatWouldBeChecked() {
    Playbook playbook = TestPlaybooks.learnedDraftWithStepVerification();

    ExecutionRun run = executor.start(new ExecutionPass("inc-1", playbook, Map.of("service", "payment-api"), Map.of(),
        ExecutionPass.Purpose.VERIFY, List.of(new ExecutionPass.Action(playbook.steps().get(1).verification(),
            dev.reflex.domain.model.RiskClass.READ_ONLY))));

    assertThat(run.results()).singleElement().satisfies(r -> assertThat(r.detail())
        .startsWith("would check that step \"Scale up\" worked: run kubectl -n default rollout status"));
    assertThat(run.summary()).contains("post-check of step \"Scale up\"");
  }

  @Test
  void execute_throughTheUseCase_foldsTheStepVerificationIntoItsStepAndListsItNotSimulated() {
    ExecutionReport report = ThroughTheUseCase.run(executor, TestPlaybooks.learnedDraftWithStepVerification(),
        Map.of("service", "payment-api", "namespace", "payments"));

    assertThat(report.success()).as(report.summary()).isTrue();
    assertThat(report.steps()).extracting(StepResult::name)
        .containsExactly("Inspect deployment", "Scale up", "Restart unit", "Check health");
    assertThat(report.steps().get(1).detail()).contains("; post-check \"Check the rollout\" not simulated: would check"
        + " that step \"Scale up\" worked: run kubectl -n payments rollout status deployment/payment-api");
    assertThat(report.notSimulated()).containsExactly("Inspect deployment", "Scale up", "Check the rollout");
  }

  @Test
  void execute_whenOptionalParameterOmitted_usesItsDefault() {
    ExecutionReport report = executor.execute("inc-1", TestPlaybooks.learnedDraft(), Map.of("service", "payment-api"));

    assertThat(report.steps().get(0).detail()).startsWith("would run kubectl -n default describe deployment/payment-api");
  }

  @Test
  void execute_whenRequiredParameterMissing_reportsFailureNamingIt() {
    ExecutionReport report = executor.execute("inc-1", TestPlaybooks.learnedDraft(), Map.of());

    assertThat(report.success()).isFalse();
    assertThat(report.summary()).contains("missing required parameter 'service'");
  }

  @Test
  void execute_whenCatalogPlaybook_describesEveryStep() {
    Playbook pool = new FilePlaybookCatalog(FilePlaybookCatalogTest.TEMPLATE).find("db-connection-pool-exhaustion")
        .orElseThrow();

    ExecutionReport report = executor.execute("inc-1", pool, Map.of("service", "payment-api", "k8s_namespace", "payments"));

    assertThat(report.success()).isTrue();
    assertThat(report.steps()).hasSize(pool.steps().size() + 1);
    assertThat(report.steps()).extracting(StepResult::detail)
        .anySatisfy(d -> assertThat(d).startsWith("would run kubectl --namespace payments rollout restart deployment/payment-api"));
  }

  @Test
  void start_rollbackPass_describesWhatWouldBeUndoneAndFinishesAtOnce() {
    Playbook draft = TestPlaybooks.learnedDraft();
    var scaleUp = draft.steps().get(1);

    ExecutionRun run = executor.start(new ExecutionPass("inc-1", draft, Map.of("service", "payment-api"), Map.of(),
        ExecutionPass.Purpose.ROLLBACK, java.util.List.of(new ExecutionPass.Action(scaleUp.rollback(),
            scaleUp.declaredRisk()))));

    assertThat(run.finished()).isTrue();
    assertThat(run.results()).singleElement().satisfies(r -> {
      assertThat(r.name()).isEqualTo(scaleUp.rollback().name());
      assertThat(r.detail()).startsWith("would run kubectl -n default scale deployment/payment-api --replicas=2");
    });
    assertThat(run.summary()).contains("rollback of 1 step(s): nothing was executed");
  }

  @Test
  void start_whenRequiredParameterMissing_failsTheFirstActionNamingIt() {
    Playbook draft = TestPlaybooks.learnedDraft();

    ExecutionRun run = executor.start(new ExecutionPass("inc-1", draft, Map.of(), Map.of(),
        ExecutionPass.Purpose.REMEDIATE, java.util.List.of(new ExecutionPass.Action(draft.steps().get(0).action(),
            draft.steps().get(0).declaredRisk()))));

    assertThat(run.results()).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(Status.FAILED);
      assertThat(r.detail()).contains("missing required parameter 'service'");
    });
  }

  @Test
  void dryRun_runsOneStepPerPassAndNeverPolls() {
    assertThat(executor.runsStepsOneAtATime(TestPlaybooks.learnedDraft())).isTrue();
    assertThat(executor.mode()).isEqualTo(Mode.DRY_RUN);
  }
}
