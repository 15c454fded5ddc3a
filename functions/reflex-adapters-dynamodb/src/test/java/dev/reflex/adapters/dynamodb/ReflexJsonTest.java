package dev.reflex.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.adapters.dynamodb.internal.ReflexJson;
import dev.reflex.domain.model.ExecutionProgress;
import dev.reflex.domain.model.ExecutionReport;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.StepAction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReflexJsonTest {

  @Test
  void read_ofWrittenIncident_equalsTheOriginalInEveryField() {
    Incident incident = Fixtures.fullIncident("inc-json");

    Incident copy = ReflexJson.read(ReflexJson.write(incident), Incident.class);

    assertThat(copy).isEqualTo(incident);
    assertThat(copy.createdAt()).isEqualTo(Fixtures.T0);
    assertThat(copy.remediation().steps().get(1).action().args()).isEqualTo(Fixtures.restart().args());
  }

  @Test
  void read_ofAFreshlyOpenedIncident_keepsItsNullStages() {
    Incident incident = Fixtures.openIncident("inc-1", "fp-1", Fixtures.T0);

    assertThat(ReflexJson.read(ReflexJson.write(incident), Incident.class)).isEqualTo(incident);
  }

  @Test
  void write_ofStepArguments_keepsTheirJsonTypesAndOrder() {
    String json = ReflexJson.write(Fixtures.restart());

    assertThat(json).contains("\"timeout\":30", "\"ratio\":0.75", "\"enabled\":true",
        "\"argv\":[\"systemctl\",\"restart\",\"payment-api\"]");
    StepAction copy = ReflexJson.read(json, StepAction.class);
    assertThat(List.copyOf(copy.args().keySet()))
        .containsExactly("name", "state", "timeout", "big", "ratio", "enabled", "argv", "env");
    assertThat(copy.args().get("big")).isEqualTo(12_345_678_901L);
    assertThat(copy.args().get("env")).isEqualTo(Map.of("LANG", "C", "RETRIES", 3));
  }

  @Test
  void write_ofIncident_omitsDerivedValuesAndNulls() {
    String json = ReflexJson.write(Fixtures.openIncident("inc-1", "fp-1", Fixtures.T0));

    assertThat(json).doesNotContain("\"alertName\"", "\"shortModule\"", "\"anomaly\"", "null");
    assertThat(json).contains("\"createdAt\":\"2026-03-01T10:15:30.123456789Z\"");
  }

  @Test
  void read_ignoresFieldsAddedByANewerWriter() {
    String json = ReflexJson.write(Fixtures.check()).replaceFirst("\\{", "{\"addedLater\":1,");

    assertThat(ReflexJson.read(json, StepAction.class)).isEqualTo(Fixtures.check());
  }

  @Test
  void read_ofAStepWrittenBeforeStepVerifications_hasNone() {
    String old = "{\"action\":{\"name\":\"Restart\",\"module\":\"ansible.builtin.systemd\",\"args\":{\"name\":\"x\"}},"
        + "\"declaredRisk\":\"SAFE_WRITE\",\"rollback\":{\"name\":\"Stop\",\"module\":\"ansible.builtin.systemd\"}}";

    PlaybookStep step = ReflexJson.read(old, PlaybookStep.class);

    assertThat(step.name()).isEqualTo("Restart");
    assertThat(step.rollback().name()).isEqualTo("Stop");
    assertThat(step.verification()).isNull();
  }

  @Test
  void read_ofAWrittenStepWithItsVerification_keepsIt() {
    PlaybookStep step = new PlaybookStep(Fixtures.restart(), RiskClass.SAFE_WRITE, null, Fixtures.check());

    String json = ReflexJson.write(step);

    assertThat(json).contains("\"verification\":{\"name\":\"Check health\"");
    assertThat(ReflexJson.read(json, PlaybookStep.class)).isEqualTo(step);
  }

  @Test
  void read_ofProgressWrittenBeforeTheStepCheckPhase_readsTheSame() {
    String old = "{\"phase\":\"STEPS\",\"next\":1,\"runSize\":1,\"handle\":\"cmd-1\","
        + "\"runStartedAt\":\"2026-03-01T10:15:30Z\",\"polls\":2,\"rollbackQueue\":[]}";

    ExecutionProgress progress = ReflexJson.read(old, ExecutionProgress.class);

    assertThat(progress).isEqualTo(new ExecutionProgress(ExecutionProgress.Phase.STEPS, 1, 1, "cmd-1",
        java.time.Instant.parse("2026-03-01T10:15:30Z"), 2, List.of(), null));
  }

  @Test
  void read_ofARunningIncidentWaitingForAStepVerification_keepsItsPhase() {
    Incident full = Fixtures.fullIncident("inc-check");
    ExecutionReport running = new ExecutionReport("ssm", ExecutionReport.Mode.APPLY, "restart-payment-api", "1.2.3",
        null, false, full.execution().steps().subList(0, 2), List.of(), Fixtures.T0, null, "", ExecutionReport.Outcome.RUNNING,
        new ExecutionProgress(ExecutionProgress.Phase.STEP_CHECK, 1, 1, "cmd-2", Fixtures.T0, 0, List.of(), null));
    Incident incident = full.toBuilder().execution(running).build();

    Incident copy = ReflexJson.read(ReflexJson.write(incident), Incident.class);

    assertThat(copy).isEqualTo(incident);
    assertThat(copy.execution().progress().phase()).isEqualTo(ExecutionProgress.Phase.STEP_CHECK);
  }
}
