package dev.reflex.domain.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.model.MatchResult;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.Signature;
import dev.reflex.testkit.Alerts;
import dev.reflex.testkit.Playbooks;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectAndMatchTest {

  private final World world = new World();

  @Test
  void detect_recordsAnomalyAndDescribesIt() {
    Incident incident = world.detected(Alerts.highLatency());

    assertThat(incident.status()).isEqualTo(IncidentStatus.DETECTED);
    assertThat(incident.anomaly().anomalyType()).isEqualTo("high_latency");
    assertThat(incident.timeline()).last().satisfies(entry -> {
      assertThat(entry.stage()).isEqualTo("detect");
      assertThat(entry.message()).isEqualTo("high_latency for payment-api in india (1850 ms vs threshold 500 ms)");
    });
  }

  @Test
  void detect_retried_returnsRecordedAnomalyWithoutWriting() {
    Incident first = world.detected(Alerts.highLatency());
    Incident again = world.detect.detect(first.id());

    assertThat(again).isEqualTo(first);
    assertThat(again.revision()).isEqualTo(first.revision());
  }

  @Test
  void detect_afterIngest_confirmsTheRecordedAnomalyWithOneStatusChange() {
    String id = world.ingest.ingest(List.of(Alerts.highLatency())).get(0).incidentId();
    Incident ingested = world.incident(id);
    world.clock.advance(java.time.Duration.ofSeconds(2));

    Incident detected = world.detect.detect(id);

    assertThat(detected.status()).isEqualTo(IncidentStatus.DETECTED);
    assertThat(detected.anomaly()).isEqualTo(ingested.anomaly());
    assertThat(detected.timeline()).isEqualTo(ingested.timeline());
    assertThat(detected.updatedAt()).isEqualTo(world.clock.instant());
    assertThat(detected.revision()).isEqualTo(ingested.revision() + 1);
  }

  @Test
  void detect_incidentOpenedWithoutAnomaly_classifiesIt() {
    world.incidents.put(Incident.open("inc-old", Alerts.highLatency(), world.clock.instant()));

    Incident detected = world.detect.detect("inc-old");

    assertThat(detected.status()).isEqualTo(IncidentStatus.DETECTED);
    assertThat(detected.anomaly().anomalyType()).isEqualTo("high_latency");
    assertThat(detected.timeline()).last().extracting(Incident.TimelineEntry::message)
        .isEqualTo("high_latency for payment-api in india (1850 ms vs threshold 500 ms)");
  }

  @Test
  void match_whenSignatureRecurs_picksLearnedPlaybook() {
    world.playbooks.create(Playbooks.learned("learned-high-latency--payment-api--india",
        new Signature("high_latency", "payment-api", "india"), 0.8));
    world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.75));
    Incident incident = world.detected(Alerts.highLatency());

    MatchResult result = world.match.match(incident.id());

    assertThat(result.matched()).isTrue();
    assertThat(result.playbookId()).isEqualTo("learned-high-latency--payment-api--india");
    Incident stored = world.incident(incident.id());
    assertThat(stored.status()).isEqualTo(IncidentStatus.MATCHED);
    assertThat(stored.playbookId()).isEqualTo(result.playbookId());
    assertThat(stored.playbookVersion()).isEqualTo("1.0.0");
    assertThat(stored.timeline()).last().extracting(Incident.TimelineEntry::message).asString()
        .startsWith("matched learned-high-latency--payment-api--india@1.0.0 by signature, confidence 0.80 >= 0.70");
  }

  @Test
  void match_whenNothingReachesThreshold_staysDetected() {
    world.playbooks.create(Playbooks.catalog("weak", "high_latency", 0.5));
    Incident incident = world.detected(Alerts.highLatency());

    MatchResult result = world.match.match(incident.id());

    assertThat(result.matched()).isFalse();
    assertThat(world.incident(incident.id()).status()).isEqualTo(IncidentStatus.DETECTED);
    assertThat(world.incident(incident.id()).playbookId()).isNull();
  }

  @Test
  void match_neverScansTheWholeTable_andIsIdempotent() {
    world.playbooks.create(Playbooks.catalog("db-pool", "high_latency", 0.8));
    world.playbooks.create(Playbooks.builder("rejected").anomalyType("high_latency").status(PlaybookStatus.REJECTED)
        .confidence(0.99).build());
    Incident incident = world.detected(Alerts.highLatency());

    MatchResult first = world.match.match(incident.id());
    long revision = world.incident(incident.id()).revision();
    MatchResult again = world.match.match(incident.id());

    assertThat(first.playbookId()).isEqualTo("db-pool");
    assertThat(again).isEqualTo(first);
    assertThat(world.incident(incident.id()).revision()).isEqualTo(revision);
    assertThat(world.playbooks.listCalls()).isZero();
  }
}
