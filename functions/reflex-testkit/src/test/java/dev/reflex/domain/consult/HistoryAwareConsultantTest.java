package dev.reflex.domain.consult;

import static dev.reflex.domain.consult.Fixtures.T0;
import static dev.reflex.domain.consult.Fixtures.alert;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.port.IncidentStore;
import dev.reflex.testkit.InMemoryIncidentStore;
import dev.reflex.testkit.ScriptedConsultant;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HistoryAwareConsultantTest {

  private final InMemoryIncidentStore incidents = new InMemoryIncidentStore();
  private final ScriptedConsultant model = new ScriptedConsultant(Fixtures.remediation("model"));

  private Incident current() {
    return incidents.put(Fixtures.detected("inc-now", alert("HighLatency", "payment-api", "india",
        "P99 latency of payment-api above 500ms"), "high_latency", T0.plus(Duration.ofHours(1))));
  }

  private void past(String id, String name, String service, String summary, String type, int minutesAgo,
      IncidentStatus status) {
    incidents.put(Fixtures.closed(id, alert(name, service, "india", summary), type,
        T0.minus(Duration.ofMinutes(minutesAgo)), status));
  }

  private List<String> similarIds() {
    return model.requests().get(0).similarIncidents().stream().map(Incident::id).toList();
  }

  @Test
  void consult_withHistory_passesTheThreeMostSimilarWithAnOutcome() {
    past("inc-latency-1", "HighLatency", "payment-api", "P99 latency of payment-api above 500ms", "high_latency", 10,
        IncidentStatus.RESOLVED);
    past("inc-latency-2", "HighLatency", "payment-api", "P99 latency above 900ms", "high_latency", 20,
        IncidentStatus.FAILED);
    past("inc-latency-3", "HighLatency", "checkout", "P99 latency of checkout above 500ms", "high_latency", 30,
        IncidentStatus.RESOLVED);
    past("inc-disk", "DiskFull", "db-1", "disk /var is 95% full", "disk_full", 40, IncidentStatus.RESOLVED);
    past("inc-cpu", "HighCpu", "batch", "cpu above 90%", "high_cpu", 50, IncidentStatus.RESOLVED);

    new HistoryAwareConsultant(model, incidents, 200).consult(Fixtures.request(current()));

    assertThat(similarIds()).hasSize(3).startsWith("inc-latency-1")
        .containsExactlyInAnyOrder("inc-latency-1", "inc-latency-2", "inc-latency-3");
  }

  @Test
  void consult_skipsIncidentsWithoutOutcomeAndItself() {
    incidents.put(Fixtures.detected("inc-open", alert("HighLatency", "payment-api", "india",
        "P99 latency of payment-api above 500ms"), "high_latency", T0));
    incidents.put(Fixtures.detected("inc-escalated", alert("HighLatency", "payment-api", "india",
        "P99 latency of payment-api above 500ms"), "high_latency", T0).toBuilder()
        .status(IncidentStatus.ESCALATED).build());
    past("inc-resolved", "HighLatency", "payment-api", "P99 latency", "high_latency", 5, IncidentStatus.RESOLVED);

    new HistoryAwareConsultant(model, incidents, 200).consult(Fixtures.request(current()));

    assertThat(similarIds()).containsExactly("inc-resolved");
  }

  @Test
  void consult_withNothingSimilar_passesNone() {
    past("inc-disk", "DiskFull", "db-1", "disk /var is 95% full", "disk_full", 40, IncidentStatus.RESOLVED);

    new HistoryAwareConsultant(model, incidents, 200).consult(Fixtures.request(current()));

    assertThat(similarIds()).isEmpty();
  }

  @Test
  void consult_searchesOnlyTheMostRecentCandidates() {
    past("inc-old", "HighLatency", "payment-api", "P99 latency of payment-api above 500ms", "high_latency", 600,
        IncidentStatus.RESOLVED);
    for (int i = 0; i < 5; i++) {
      past("inc-disk-" + i, "DiskFull", "db-1", "disk /var is full", "disk_full", i + 1, IncidentStatus.RESOLVED);
    }

    // the current incident and the 5 disk incidents fill the window: the old latency one is out of reach
    new HistoryAwareConsultant(model, incidents, 6).consult(Fixtures.request(current()));

    assertThat(similarIds()).isEmpty();
  }

  @Test
  void consult_whenStoreFails_consultsWithoutHistory() {
    IncidentStore broken = new IncidentStore() {
      @Override public Opened openIfAbsent(Incident incident) { throw new UnsupportedOperationException(); }
      @Override public Optional<Incident> find(String id) { throw new UnsupportedOperationException(); }
      @Override public Optional<Incident> findByOccurrenceKey(String key) { throw new UnsupportedOperationException(); }
      @Override public Incident update(Incident incident) { throw new UnsupportedOperationException(); }
      @Override public List<Incident> recent(int limit) { throw new IllegalStateException("store down"); }
    };

    new HistoryAwareConsultant(model, broken, 200).consult(Fixtures.request(current()));

    assertThat(model.calls()).isEqualTo(1);
    assertThat(similarIds()).isEmpty();
  }
}
