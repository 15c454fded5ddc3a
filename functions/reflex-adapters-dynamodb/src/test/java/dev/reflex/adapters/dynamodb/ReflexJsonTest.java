package dev.reflex.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.adapters.dynamodb.internal.ReflexJson;
import dev.reflex.domain.model.Incident;
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
}
