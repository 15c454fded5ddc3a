package dev.reflex.domain.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.gate.PlaybookGate;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.Parameter;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.StepAction;
import dev.reflex.testkit.Alerts;
import dev.reflex.testkit.InMemoryPullRequestProvider;
import dev.reflex.testkit.Playbooks;
import dev.reflex.testkit.ScriptedConsultant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ConsultForPlaybook with the strict gate and a pull-request provider. */
class ProposeForReviewTest {

  private final World world = new World();
  private final InMemoryPullRequestProvider pullRequests = new InMemoryPullRequestProvider();

  static final Parameter NAMESPACE = new Parameter("namespace", "", "namespace", "^[a-z0-9-]{1,63}$", "default", false);
  static final StepAction VERIFY = StepAction.of("Check rollout", "ansible.builtin.command",
      Map.of("argv", List.of("kubectl", "--namespace", "{{ namespace }}", "get", "deployment/{{ service }}")));

  private static Remediation remediation(StepAction verification, PlaybookStep... steps) {
    return new Remediation("offline_catalog", "pool exhausted behind latency", "too few connections",
        "Raise pool and restart", List.of(Playbooks.serviceParameter(), NAMESPACE), List.of(steps), verification, "5m");
  }

  private ConsultForPlaybook consult(Remediation remediation) {
    return new ConsultForPlaybook(world.incidents, world.playbooks, new ScriptedConsultant(remediation),
        world.repository, world.classifier, world.forbidden, world.clock,
        new PlaybookGate(world.classifier, world.forbidden), pullRequests);
  }

  @Test
  void consult_whenTheDraftPassesTheGate_opensAPullRequestWithTheReviewPageAndNamesIt() {
    Incident incident = world.detected(Alerts.highLatency());

    Playbook playbook = consult(remediation(VERIFY, Playbooks.inspectPods(), Playbooks.rollingRestart()))
        .consult(incident.id());

    assertThat(playbook.status()).isEqualTo(PlaybookStatus.PENDING_REVIEW);
    assertThat(pullRequests.all()).singleElement().satisfies(pr -> {
      assertThat(pr.pullRequest().branch()).isEqualTo("learned/high-latency--payment-api--india");
      assertThat(pr.pullRequest().title()).contains(playbook.id(), "1.0.0", "high_latency|payment-api|india");
      assertThat(pr.body()).contains("### Steps", "| Rolling restart |", "**safe_write**", "### Validation gate: passed",
          "pool exhausted behind latency", incident.id());
    });
    assertThat(world.incident(incident.id()).timeline()).anySatisfy(e -> assertThat(e.message())
        .startsWith("opened memory pull request 1 (learned/high-latency--payment-api--india -> main)"));
  }

  @Test
  void consult_whenTheSignatureRecursWhileItsPullRequestIsOpen_commentsInsteadOfOpeningAnother() {
    Incident first = world.detected(Alerts.highLatency());
    consult(remediation(VERIFY, Playbooks.rollingRestart())).consult(first.id());
    Incident second = world.detected(Alerts.recurrence(Alerts.highLatency(), Alerts.STARTS_AT.plus(Duration.ofDays(1))));

    Playbook bumped = consult(remediation(VERIFY, Playbooks.rollingRestart())).consult(second.id());

    assertThat(bumped.version()).isEqualTo("1.0.1");
    assertThat(world.repository.proposals()).hasSize(2);
    assertThat(pullRequests.all()).singleElement().satisfies(pr -> assertThat(pr.comments()).singleElement()
        .asString().contains("added version 1.0.1", second.id(), "instead of opening another pull request"));
    assertThat(world.incident(second.id()).timeline()).anySatisfy(e -> assertThat(e.message())
        .startsWith("updated memory pull request 1"));
  }

  @Test
  void consult_whenTheDraftHasNoVerification_rejectsItAtTheGateWithTheReasonAndOpensNothing() {
    Incident incident = world.detected(Alerts.highLatency());

    Playbook playbook = consult(remediation(null, Playbooks.rollingRestart())).consult(incident.id());

    assertThat(playbook.status()).isEqualTo(PlaybookStatus.REJECTED_BY_GATE);
    assertThat(world.repository.proposals()).isEmpty();
    assertThat(pullRequests.all()).isEmpty();
    assertThat(world.incident(incident.id()).timeline()).anySatisfy(e -> assertThat(e.message())
        .contains("rejected by the validation gate, not proposed", "playbook: no verification"));
  }

  @Test
  void consult_whenArgumentsUseAnUndeclaredVariable_rejectsItNamingTheStep() {
    PlaybookStep restart = new PlaybookStep(StepAction.of("Restart unit", "ansible.builtin.systemd_service",
        Map.of("name", "{{ unit }}", "state", "restarted")), RiskClass.SAFE_WRITE, null);
    Incident incident = world.detected(Alerts.highLatency());

    Playbook playbook = consult(remediation(VERIFY, restart)).consult(incident.id());

    assertThat(playbook.status()).isEqualTo(PlaybookStatus.REJECTED_BY_GATE);
    assertThat(world.incident(incident.id()).timeline()).anySatisfy(e -> assertThat(e.message())
        .contains("step \"Restart unit\": uses {{ unit }} but no parameter declares it"));
  }

  @Test
  void consult_whenTheProviderFails_keepsTheDraftAndReportsItOnTheIncident() {
    pullRequests.failWith(new IllegalStateException("rate limited until 10:00"));
    Incident incident = world.detected(Alerts.highLatency());

    Playbook playbook = consult(remediation(VERIFY, Playbooks.rollingRestart())).consult(incident.id());

    assertThat(playbook.status()).isEqualTo(PlaybookStatus.PENDING_REVIEW);
    assertThat(playbook.commitSha()).hasSize(40);
    assertThat(world.incident(incident.id()).timeline()).anySatisfy(e -> assertThat(e.message())
        .contains("could not open a pull request", "rate limited until 10:00", "nothing is lost"));
  }

  @Test
  void consult_whenTheRemoteRefusesTheBranch_storesTheDraftReportsItOnTheIncidentAndOpensNoPullRequest() {
    world.repository.refuseNextPush("the remote refused learned/high-latency--payment-api--india (protected branch)");
    Incident incident = world.detected(Alerts.highLatency());

    Playbook playbook = consult(remediation(VERIFY, Playbooks.rollingRestart())).consult(incident.id());

    assertThat(playbook.status()).isEqualTo(PlaybookStatus.PENDING_REVIEW);
    assertThat(world.playbooks.find(playbook.id())).hasValueSatisfying(stored -> {
      assertThat(stored.branch()).isEqualTo("learned/high-latency--payment-api--india");
      assertThat(stored.commitSha()).hasSize(40);
    });
    assertThat(pullRequests.all()).isEmpty();
    assertThat(world.incident(incident.id()).playbookId()).isEqualTo(playbook.id());
    assertThat(world.incident(incident.id()).timeline()).anySatisfy(e -> assertThat(e.message())
        .contains("refused branch learned/high-latency--payment-api--india", "protected branch", "is kept",
            "no pull request was opened"));
  }
}
