package dev.reflex.domain.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.Decision;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.policy.RemediationPolicy;
import dev.reflex.testkit.Alerts;
import dev.reflex.testkit.Playbooks;
import org.junit.jupiter.api.Test;

class DecideRemediationTest {

  private final World world = new World();
  private final DecideRemediation decide = world.decide(new RemediationPolicy(true, 0.9));

  private Incident matched(double confidence, PlaybookStatus status) {
    world.playbooks.create(Playbooks.builder("db-pool").anomalyType("high_latency").confidence(confidence)
        .status(status).build());
    Incident incident = world.detected(Alerts.highLatency());
    world.match.match(incident.id());
    return world.incident(incident.id());
  }

  @Test
  void decide_matchedSafeWritePlaybook_requiresApprovalAndListsEveryCheck() {
    Incident incident = matched(0.75, PlaybookStatus.ACTIVE);

    Decision decision = decide.decide(incident.id());

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.requiresApproval()).isTrue();
    assertThat(decision.riskLevel()).isEqualTo(RiskClass.SAFE_WRITE);
    assertThat(decision.reasoning()).contains("step \"Rolling restart\" is safe_write (computed)",
        "confidence 0.75 < 0.90: approval required");
    assertThat(world.incident(incident.id()).decision()).isEqualTo(decision);
  }

  @Test
  void decide_withoutPlaybook_refusesAndMarksIncidentRefused() {
    Incident incident = world.detected(Alerts.highLatency());

    Decision decision = decide.decide(incident.id());

    assertThat(decision.allowed()).isFalse();
    assertThat(world.incident(incident.id()).status()).isEqualTo(IncidentStatus.REFUSED);
  }

  @Test
  void decide_whenPlaybookDisabledAfterMatch_refuses() {
    Incident incident = matched(0.95, PlaybookStatus.ACTIVE);
    world.playbooks.update(world.playbooks.get("db-pool").withStatus(PlaybookStatus.DISABLED));

    Decision decision = decide.decide(incident.id());

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reasoning()).contains("playbook db-pool@1.0.0 is disabled: refused");
  }

  @Test
  void decide_retried_returnsRecordedDecision() {
    Incident incident = matched(0.95, PlaybookStatus.ACTIVE);
    Decision first = decide.decide(incident.id());
    long revision = world.incident(incident.id()).revision();

    world.playbooks.update(world.playbooks.get("db-pool").withStatus(PlaybookStatus.DISABLED));
    Decision again = decide.decide(incident.id());

    assertThat(again).isEqualTo(first);
    assertThat(world.incident(incident.id()).revision()).isEqualTo(revision);
  }
}
