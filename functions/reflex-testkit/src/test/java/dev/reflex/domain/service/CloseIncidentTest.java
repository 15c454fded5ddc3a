package dev.reflex.domain.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.testkit.Alerts;
import org.junit.jupiter.api.Test;

class CloseIncidentTest {

  private final World world = new World();

  @Test
  void fail_recordsErrorAndTruncatedCause() {
    Incident incident = world.detected(Alerts.highLatency());

    Incident failed = world.close.fail(incident.id(), "States.Timeout", "x".repeat(2000));

    assertThat(failed.status()).isEqualTo(IncidentStatus.FAILED);
    assertThat(failed.timeline()).last().satisfies(e -> {
      assertThat(e.message()).startsWith("workflow error: States.Timeout (");
      assertThat(e.message().length()).isLessThan(600);
    });
  }

  @Test
  void fail_retried_addsNoSecondLine() {
    Incident incident = world.detected(Alerts.highLatency());
    world.close.fail(incident.id(), "Lambda.Unknown", "boom");
    Incident again = world.close.fail(incident.id(), "Lambda.Unknown", "boom");

    assertThat(again.timeline()).filteredOn(e -> e.message().startsWith("workflow error")).hasSize(1);
  }

  @Test
  void escalate_andRefuse_setTheirStatus() {
    Incident incident = world.detected(Alerts.highLatency());
    assertThat(world.close.escalate(incident.id(), "no playbook").status()).isEqualTo(IncidentStatus.ESCALATED);
    assertThat(world.close.refuse(incident.id(), "forbidden").status()).isEqualTo(IncidentStatus.REFUSED);
  }
}
