package dev.reflex.lambda.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.model.Approval;
import dev.reflex.domain.model.ApprovalVote;
import dev.reflex.domain.model.AuditEntry;
import dev.reflex.domain.model.ExecutionPass;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.ExecutionRun;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.port.Executor;
import dev.reflex.domain.port.SecretsProvider;
import dev.reflex.testkit.FixedSecretsProvider;
import dev.reflex.testkit.InMemoryApprovalStore;
import dev.reflex.testkit.InMemoryAuditLog;
import dev.reflex.testkit.MutableClock;
import dev.reflex.testkit.Playbooks;
import dev.reflex.testkit.RecordingExecutor;
import dev.reflex.testkit.RecordingWorkflowCallbacks;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditingDecoratorsTest {

  private static final String SECRET_VALUE = "hunter2-s3cr3t-value";

  private final MutableClock clock = new MutableClock();
  private final InMemoryAuditLog audit = new InMemoryAuditLog();

  @Test
  void succeed_auditsTheReleaseUnderTheApprovalsIncidentFirst() {
    RecordingWorkflowCallbacks real = new RecordingWorkflowCallbacks();
    AuditingWorkflowCallbacks callbacks = new AuditingWorkflowCallbacks(real, audit,
        id -> id.equals("apr-1") ? Optional.of("inc-1") : Optional.empty(), clock);

    callbacks.succeed("token-1",
        "{\"approved\":true,\"approvalId\":\"apr-1\",\"decidedBy\":\"ana@example.com\",\"reason\":\"password=hunter2\"}");

    assertThat(audit.byIncident("inc-1")).singleElement().satisfies(e -> {
      assertThat(e.actor()).isEqualTo("reflex");
      assertThat(e.action()).isEqualTo("workflow.resumed");
      assertThat(e.detail()).contains("apr-1").doesNotContain("hunter2", "token-1");
    });
    assertThat(real.successes()).hasSize(1);
  }

  @Test
  void fail_isAuditedWithTheErrorThenDelegated() {
    RecordingWorkflowCallbacks real = new RecordingWorkflowCallbacks();
    AuditingWorkflowCallbacks callbacks = new AuditingWorkflowCallbacks(real, audit,
        id -> id.equals("apr-1") ? Optional.of("inc-1") : Optional.empty(), clock);

    callbacks.fail("token-1", "reflex.ApprovalRejected",
        "{\"approved\":false,\"approvalId\":\"apr-1\",\"decidedBy\":\"bob@example.com\",\"reason\":\"wrong host\"}");
    callbacks.fail("token-2", "States.Runtime", "not about an approval");

    assertThat(audit.byIncident("inc-1")).singleElement().satisfies(e -> {
      assertThat(e.action()).isEqualTo("workflow.failed");
      assertThat(e.detail()).startsWith("task failed with reflex.ApprovalRejected: ").contains("wrong host");
    });
    assertThat(audit.byIncident("system")).singleElement()
        .satisfies(e -> assertThat(e.detail()).contains("States.Runtime"));
    assertThat(real.failures()).extracting(RecordingWorkflowCallbacks.Failure::taskToken)
        .containsExactly("token-1", "token-2");
  }

  @Test
  void approvalStore_auditsTheRequestAndEachWrittenVoteWithWhoWhenAndWhere() {
    InMemoryApprovalStore real = new InMemoryApprovalStore();
    AuditingApprovalStore store = new AuditingApprovalStore(real, audit, clock);
    Approval pending = Approval.pending("apr-1", "inc-1", "TOKEN", clock.instant(), clock.instant().plusSeconds(60),
        List.of("ana@example.com", "bob@example.com"), 2, "");
    store.create(pending);
    Approval voted = pending.withVote(new ApprovalVote("ana@example.com", true, clock.instant(), "ok",
        ApprovalVote.Source.link("203.0.113.9", "curl/8")));

    assertThat(store.update(voted)).isTrue();
    assertThat(store.update(voted)).as("a lost race").isFalse();

    assertThat(audit.byIncident("inc-1")).extracting(AuditEntry::action)
        .containsExactly("approval.requested", "approval.approved");
    assertThat(audit.byIncident("inc-1").get(1)).satisfies(e -> {
      assertThat(e.actor()).isEqualTo("ana@example.com");
      assertThat(e.detail()).isEqualTo("approval apr-1 (1 of 2 approvals, now pending) by link from 203.0.113.9"
          + " (curl/8): ok");
    });
    assertThat(audit.all()).noneSatisfy(e -> assertThat(e.detail()).contains("TOKEN"));
  }

  private static ExecutionPass pass(String incidentId, Playbook playbook, Map<String, String> parameters) {
    return new ExecutionPass(incidentId, playbook, parameters, Map.of(), ExecutionPass.Purpose.REMEDIATE,
        playbook.steps().stream().map(s -> new ExecutionPass.Action(s.action(), s.declaredRisk())).toList());
  }

  /** An executor whose passes do what {@code body} says. */
  private static Executor executor(String name, java.util.function.Function<ExecutionPass, ExecutionRun> body) {
    return new Executor() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public ExecutionReport.Mode mode() {
        return ExecutionReport.Mode.APPLY;
      }

      @Override
      public ExecutionRun start(ExecutionPass pass) {
        return body.apply(pass);
      }
    };
  }

  @Test
  void start_auditsWhatIsSentAndWhatCameBack_redacted() {
    Playbook playbook = Playbooks.builder("pb-restart")
        .steps(Playbooks.shell("rotate", "curl -H 'Authorization: Bearer abcdefghijklmnop' x", RiskClass.SAFE_WRITE))
        .build();
    Executor executor = new AuditingExecutor(RecordingExecutor.succeeding(clock), audit, clock);

    ExecutionRun run = executor.start(pass("inc-7", playbook, Map.of("service", "payment-api",
        "db_password", SECRET_VALUE)));

    assertThat(run.finished()).isTrue();
    List<AuditEntry> entries = audit.byIncident("inc-7");
    assertThat(entries).extracting(AuditEntry::action).containsExactly("execution.sent", "execution.succeeded");
    assertThat(entries.get(0).detail()).contains("pb-restart").contains("rotate").contains("payment-api");
    assertThat(entries).allSatisfy(e -> assertThat(e.detail()).doesNotContain(SECRET_VALUE)
        .doesNotContain("abcdefghijklmnop"));
  }

  @Test
  void start_whenTheExecutorThrows_auditsTheErrorAndRethrows() {
    Executor broken = executor("broken", pass -> {
      throw new IllegalStateException("connection refused, password=" + SECRET_VALUE);
    });
    Executor executor = new AuditingExecutor(broken, audit, clock);

    assertThatThrownBy(() -> executor.start(pass("inc-8",
        Playbooks.builder("pb-inspect").steps(Playbooks.inspectPods()).build(), Map.of())))
        .isInstanceOf(IllegalStateException.class);

    assertThat(audit.byIncident("inc-8")).extracting(AuditEntry::action)
        .containsExactly("execution.sent", "execution.error");
    assertThat(audit.byIncident("inc-8").get(1).detail()).contains("connection refused").doesNotContain(SECRET_VALUE);
  }

  @Test
  void secret_readDuringAnExecution_isAuditedUnderItsIncidentByNameOnly() {
    SecretsProvider secrets = new AuditingSecretsProvider(FixedSecretsProvider.of("db-password", SECRET_VALUE),
        audit, clock);
    Executor readsSecret = executor("reads", pass -> {
      secrets.secret("db-password");
      return RecordingExecutor.succeeding(clock).start(pass);
    });

    new AuditingExecutor(readsSecret, audit, clock).start(pass("inc-9",
        Playbooks.builder("pb-inspect").steps(Playbooks.inspectPods()).build(), Map.of()));
    secrets.secret("db-password");

    assertThat(audit.byIncident("inc-9")).extracting(AuditEntry::action)
        .containsExactly("execution.sent", "secret.read", "execution.succeeded");
    assertThat(audit.byIncident(AuditEntry.SYSTEM)).singleElement()
        .satisfies(e -> assertThat(e.detail()).isEqualTo("db-password"));
    assertThat(audit.all()).allSatisfy(e -> assertThat(e.detail()).doesNotContain(SECRET_VALUE));
  }

  @Test
  void poll_auditsTheResultOnlyWhenThePassFinishes() {
    RecordingExecutor slow = RecordingExecutor.succeeding(clock).finishAfterPolls(2);
    Executor executor = new AuditingExecutor(slow, audit, clock);
    ExecutionPass pass = pass("inc-10", Playbooks.builder("pb-inspect").steps(Playbooks.inspectPods()).build(),
        Map.of());

    ExecutionRun started = executor.start(pass);
    executor.poll(pass, started.handle());
    executor.poll(pass, started.handle());
    executor.cancel(pass, "run-9");

    assertThat(audit.byIncident("inc-10")).extracting(AuditEntry::action)
        .containsExactly("execution.sent", "execution.succeeded", "execution.cancelled");
  }

  @Test
  void secret_whenMissing_isAuditedAsAFailedRead() {
    SecretsProvider secrets = new AuditingSecretsProvider(name -> {
      throw new dev.reflex.domain.error.SecretNotFoundException("no secret " + name);
    }, audit, clock);

    assertThatThrownBy(() -> secrets.secret("api-key")).isInstanceOf(RuntimeException.class);

    assertThat(audit.byIncident(AuditEntry.SYSTEM)).extracting(AuditEntry::action).containsExactly("secret.read.failed");
  }
}
