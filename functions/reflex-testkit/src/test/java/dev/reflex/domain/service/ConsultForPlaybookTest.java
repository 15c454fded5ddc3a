package dev.reflex.domain.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.model.StepAction;
import dev.reflex.testkit.Alerts;
import dev.reflex.testkit.Playbooks;
import dev.reflex.testkit.ScriptedConsultant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsultForPlaybookTest {

  private final World world = new World();

  private static Remediation remediation(PlaybookStep... steps) {
    return new Remediation("offline_catalog", "pool exhausted behind latency", "too few connections",
        "Raise pool and restart", List.of(Playbooks.serviceParameter()), List.of(steps), null, "5m");
  }

  private ConsultForPlaybook consult(ScriptedConsultant consultant) {
    return new ConsultForPlaybook(world.incidents, world.playbooks, consultant, world.repository, world.classifier,
        world.forbidden, world.clock);
  }

  @Test
  void consult_draftsLearnedPlaybook_proposesItAndRecordsIt() {
    ScriptedConsultant consultant = new ScriptedConsultant(remediation(Playbooks.inspectPods(), Playbooks.rollingRestart()));
    Incident incident = world.detected(Alerts.highLatency());

    Playbook playbook = consult(consultant).consult(incident.id());

    assertThat(playbook.id()).isEqualTo("learned-high-latency--payment-api--india");
    assertThat(playbook.version()).isEqualTo("1.0.0");
    assertThat(playbook.source()).isEqualTo(PlaybookSource.LEARNED);
    assertThat(playbook.status()).isEqualTo(PlaybookStatus.PENDING_REVIEW);
    assertThat(playbook.signature()).isEqualTo(new Signature("high_latency", "payment-api", "india"));
    assertThat(playbook.signaturePatterns()).containsExactly("high_latency|payment-api|india");
    assertThat(playbook.anomalyTypes()).containsExactly("high_latency");
    assertThat(playbook.stats().confidence()).isEqualTo(0.75);
    assertThat(playbook.supportingIncidents()).containsExactly(incident.id());
    assertThat(playbook.evidenceText()).isEqualTo(incident.alert().describe());
    assertThat(playbook.commitSha()).hasSize(40);
    assertThat(playbook.branch()).isEqualTo("learned/high-latency--payment-api--india");
    assertThat(world.playbooks.find(playbook.id())).isPresent();
    assertThat(world.repository.proposals()).singleElement().satisfies(p -> assertThat(p.message())
        .contains(incident.id(), "high_latency|payment-api|india", "HighLatency", "pool exhausted behind latency"));

    Incident stored = world.incident(incident.id());
    assertThat(stored.status()).isEqualTo(IncidentStatus.CONSULTED);
    assertThat(stored.remediation()).isNotNull();
    assertThat(stored.playbookId()).isEqualTo(playbook.id());
    assertThat(stored.timeline()).anySatisfy(e -> assertThat(e.message()).contains("consultant offline_catalog"));
  }

  @Test
  void consult_whenAModelDrafted_recordsTheDraftAsLlmSourced() {
    Remediation drafted = new Remediation("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "pool exhausted",
        "too few connections", "Raise pool and restart", List.of(Playbooks.serviceParameter()),
        List.of(Playbooks.inspectPods(), Playbooks.rollingRestart()), null, "5m");
    Incident incident = world.detected(Alerts.highLatency());

    Playbook playbook = consult(new ScriptedConsultant(drafted)).consult(incident.id());

    assertThat(playbook.source()).isEqualTo(PlaybookSource.LLM);
    assertThat(playbook.status()).isEqualTo(PlaybookStatus.PENDING_REVIEW);
  }

  @Test
  void consult_whenTheOfflineConsultantStoodInForARefusedModel_recordsALearnedDraft() {
    Remediation fallback = new Remediation("offline_catalog (fallback: bedrock answer invalid)", "pool exhausted",
        "too few connections", "Raise pool and restart", List.of(Playbooks.serviceParameter()),
        List.of(Playbooks.inspectPods(), Playbooks.rollingRestart()), null, "5m");
    Incident incident = world.detected(Alerts.highLatency());

    assertThat(consult(new ScriptedConsultant(fallback)).consult(incident.id()).source())
        .isEqualTo(PlaybookSource.LEARNED);
  }

  @Test
  void consult_retried_returnsSamePlaybookWithoutConsultingAgain() {
    ScriptedConsultant consultant = new ScriptedConsultant(remediation(Playbooks.rollingRestart()));
    Incident incident = world.detected(Alerts.highLatency());
    ConsultForPlaybook useCase = consult(consultant);

    Playbook first = useCase.consult(incident.id());
    Playbook again = useCase.consult(incident.id());

    assertThat(again).isEqualTo(first);
    assertThat(consultant.calls()).isEqualTo(1);
    assertThat(world.repository.proposals()).hasSize(1);
  }

  @Test
  void consult_whenConsultantUnderstatesRisk_raisesDeclaredRisk() {
    PlaybookStep understated = new PlaybookStep(StepAction.of("Restart", "command",
        Map.of("argv", List.of("kubectl", "rollout", "restart", "deployment/x"))), RiskClass.READ_ONLY, null);
    Incident incident = world.detected(Alerts.highLatency());

    Playbook playbook = consult(new ScriptedConsultant(remediation(understated))).consult(incident.id());

    assertThat(playbook.steps()).singleElement().extracting(PlaybookStep::declaredRisk).isEqualTo(RiskClass.SAFE_WRITE);
    assertThat(world.classifier.mismatches(playbook)).isEmpty();
    assertThat(world.incident(incident.id()).timeline())
        .anySatisfy(e -> assertThat(e.message()).contains("risk raised", "declared read_only, computed safe_write"));
  }

  @Test
  void consult_whenDraftHasForbiddenCommand_rejectsItAtTheGateAndNeverProposes() {
    PlaybookStep wipe = Playbooks.shell("Free space", "rm -rf /", RiskClass.SAFE_WRITE);
    Incident incident = world.detected(Alerts.highLatency());

    Playbook playbook = consult(new ScriptedConsultant(remediation(wipe))).consult(incident.id());

    assertThat(playbook.status()).isEqualTo(PlaybookStatus.REJECTED_BY_GATE);
    assertThat(world.playbooks.get(playbook.id()).status()).isEqualTo(PlaybookStatus.REJECTED_BY_GATE);
    assertThat(world.repository.proposals()).isEmpty();
    Incident stored = world.incident(incident.id());
    assertThat(stored.status()).isEqualTo(IncidentStatus.CONSULTED);
    assertThat(stored.timeline()).anySatisfy(e -> assertThat(e.message())
        .contains("rejected by the forbidden-command gate", "step \"Free space\"", "rm -rf of the root directory"));
  }

  @Test
  void consult_sameSignatureDraftedBeforeWithTheSameSteps_bumpsPatchVersion() {
    ScriptedConsultant consultant = new ScriptedConsultant(remediation(Playbooks.rollingRestart()));
    Incident first = world.detected(Alerts.highLatency());
    consult(consultant).consult(first.id());
    Incident second = world.detected(Alerts.recurrence(Alerts.highLatency(), Alerts.STARTS_AT.plus(Duration.ofDays(1))));

    Playbook bumped = consult(consultant).consult(second.id());

    assertThat(bumped.version()).isEqualTo("1.0.1");
    assertThat(bumped.status()).isEqualTo(PlaybookStatus.PENDING_REVIEW);
    assertThat(bumped.supportingIncidents()).containsExactly(first.id(), second.id());
    assertThat(world.repository.proposals()).hasSize(2);
    assertThat(world.incident(second.id()).playbookVersion()).isEqualTo("1.0.1");
  }

  @Test
  void consult_sameSignatureRedraftedWithAChangedStep_bumpsMinorVersion() {
    Incident first = world.detected(Alerts.highLatency());
    consult(new ScriptedConsultant(remediation(Playbooks.rollingRestart()))).consult(first.id());
    Incident second = world.detected(Alerts.recurrence(Alerts.highLatency(), Alerts.STARTS_AT.plus(Duration.ofDays(1))));
    StepAction slower = StepAction.of("Rolling restart", "ansible.builtin.command", Map.of("argv", List.of("kubectl",
        "--namespace", "{{ namespace }}", "rollout", "restart", "deployment/{{ service }}", "--timeout=10m")));

    Playbook bumped = consult(new ScriptedConsultant(remediation(new PlaybookStep(slower, RiskClass.SAFE_WRITE,
        slower)))).consult(second.id());

    assertThat(bumped.version()).isEqualTo("1.1.0");
  }

  @Test
  void consult_sameSignatureRedraftedWithAStepAdded_bumpsMajorVersion() {
    Incident first = world.detected(Alerts.highLatency());
    consult(new ScriptedConsultant(remediation(Playbooks.rollingRestart()))).consult(first.id());
    Incident second = world.detected(Alerts.recurrence(Alerts.highLatency(), Alerts.STARTS_AT.plus(Duration.ofDays(1))));

    Playbook bumped = consult(new ScriptedConsultant(remediation(Playbooks.inspectPods(), Playbooks.rollingRestart())))
        .consult(second.id());

    assertThat(bumped.version()).isEqualTo("2.0.0");
    assertThat(world.incident(second.id()).playbookVersion()).isEqualTo("2.0.0");
  }

  @Test
  void consult_proposesTheIncidentAsATestCaseExpectingTheDraftToMatch() {
    Incident incident = world.detected(Alerts.highLatency());

    Playbook playbook = consult(new ScriptedConsultant(remediation(Playbooks.rollingRestart()))).consult(incident.id());

    assertThat(world.repository.proposals()).singleElement().satisfies(p -> assertThat(p.tests()).singleElement()
        .satisfies(test -> {
          assertThat(test.name()).isEqualTo(dev.reflex.domain.port.PlaybookRepository.TestCase.nameOf(incident.id()));
          assertThat(test.alert()).isEqualTo(incident.alert());
          assertThat(test.anomalyType()).isEqualTo("high_latency");
          assertThat(test.signature()).isEqualTo(new Signature("high_latency", "payment-api", "india"));
          assertThat(test.playbookId()).isEqualTo(playbook.id());
        }));
  }

  @Test
  void consult_sameSignatureRejectedByAPerson_staysRejectedAndIsNotReproposed() {
    Signature signature = new Signature("high_latency", "payment-api", "india");
    world.playbooks.create(Playbooks.builder(ConsultForPlaybook.learnedId(signature)).source(PlaybookSource.LEARNED)
        .status(PlaybookStatus.REJECTED).signature(signature).build());
    Incident incident = world.detected(Alerts.highLatency());

    Playbook playbook = consult(new ScriptedConsultant(remediation(Playbooks.rollingRestart()))).consult(incident.id());

    assertThat(playbook.status()).isEqualTo(PlaybookStatus.REJECTED);
    assertThat(playbook.version()).isEqualTo("1.0.0");
    assertThat(world.repository.proposals()).isEmpty();
  }

  @Test
  void learnedId_longSignature_isCutToAValidIdWithAHash() {
    Signature longOne = Signature.of("high_latency", "s".repeat(63), "r".repeat(63));
    Signature other = Signature.of("high_latency", "s".repeat(63), "r".repeat(62) + "x");

    String id = ConsultForPlaybook.learnedId(longOne);

    assertThat(id).matches(Playbook.ID.pattern()).startsWith("learned-high-latency--");
    assertThat(id).isNotEqualTo(ConsultForPlaybook.learnedId(other));
  }
}
