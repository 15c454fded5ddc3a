package dev.reflex.domain.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.TestData;
import dev.reflex.domain.detection.AnomalyDetector;
import dev.reflex.domain.gate.PlaybookGate;
import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.risk.RiskClassifier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReviewPageTest {

  private final ReviewPage page = new ReviewPage(new RiskClassifier());

  private static Incident detected(Alert alert) {
    Incident open = Incident.open("inc-1", alert, TestData.T0);
    return open.toBuilder().anomaly(new AnomalyDetector(TestData.rules()).detect(alert)).build();
  }

  @Test
  void render_showsComputedRiskPerStepMeasurementsAndTheGateResult() {
    Incident incident = detected(TestData.highLatency());
    Playbook playbook = TestData.playbook("learned-x", PlaybookSource.LEARNED, PlaybookStatus.PENDING_REVIEW,
        List.of("high_latency"), incident.signature(), 0.75, "");

    String md = page.render(playbook, incident, null, PlaybookGate.defaults().check(playbook), "http://127.0.0.1:8080/api/v1/incidents/inc-1");

    assertThat(md).contains("| 2 | Rolling restart | `command` | safe_write | **safe_write** (restarts a workload")
        .contains("| p99_latency | 1850ms | 500ms | 3.70× |")
        .contains("### Validation gate: failed")
        .contains("❌ error: playbook: no verification")
        .contains("`inc-1`: http://127.0.0.1:8080/api/v1/incidents/inc-1");
  }

  @Test
  void render_showsEachStepsVerificationNextToItsRollback() {
    Incident incident = detected(TestData.highLatency());
    Playbook base = TestData.playbook("learned-x", PlaybookSource.LEARNED, PlaybookStatus.PENDING_REVIEW,
        List.of("high_latency"), incident.signature(), 0.75, "");
    dev.reflex.domain.model.StepAction ready = dev.reflex.domain.model.StepAction.of("Check pods ready",
        "ansible.builtin.command", Map.of("argv", List.of("kubectl", "rollout", "status", "deployment/x")));
    List<dev.reflex.domain.model.PlaybookStep> steps = new java.util.ArrayList<>(base.steps());
    steps.set(1, steps.get(1).withVerification(ready));
    Playbook playbook = new Playbook(base.id(), base.version(), base.title(), base.source(), base.status(),
        base.anomalyTypes(), base.signaturePatterns(), base.signature(), base.description(), base.guidance(),
        base.parameters(), steps, base.verification(), base.stats(), base.supportingIncidents(), base.evidenceText(),
        base.branch(), base.commitSha(), base.revision());

    String md = page.render(playbook, incident, null, PlaybookGate.defaults().check(playbook), null);

    assertThat(md).contains("| rollback | post-check |")
        .containsPattern("\\| 1 \\| Inspect pods \\|.*\\| none \\| none \\|")
        .containsPattern("\\| 2 \\| Rolling restart \\|.*\\| Check pods ready \\|");
  }

  @Test
  void render_quotesHostileLabelsInsideAFenceTheyCannotClose() {
    Alert hostile = TestData.alert("HighLatency", Map.of("service", "api", "region", "india",
        "team", "```\n[click](http://evil) @admins ````"), Map.of());
    Incident incident = detected(hostile);
    Playbook playbook = TestData.playbook("learned-x", PlaybookSource.LEARNED, PlaybookStatus.PENDING_REVIEW,
        List.of("high_latency"), incident.signature(), 0.75, "");

    String md = page.render(playbook, incident, null, null, null);

    assertThat(md).contains("`````text\n").contains("team=```\n[click](http://evil) @admins ````\n`````\n");
  }
}
