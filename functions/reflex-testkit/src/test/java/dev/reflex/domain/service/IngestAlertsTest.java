package dev.reflex.domain.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.AlertStatus;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.service.IngestAlerts.Ingested;
import dev.reflex.testkit.Alerts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class IngestAlertsTest {

  private final World world = new World();

  @Test
  void ingest_firingAlert_opensIncidentWithSignature() {
    Ingested result = world.ingest.ingest(List.of(Alerts.highLatency())).get(0);

    assertThat(result.created()).isTrue();
    assertThat(result.incidentId()).isEqualTo("inc-20250314-000000000001");
    assertThat(result.signature()).hasToString("high_latency|payment-api|india");
    assertThat(result.status()).isEqualTo(IncidentStatus.OPEN);
    assertThat(result.alertStatus()).isEqualTo(AlertStatus.FIRING);
    assertThat(world.incidents.size()).isEqualTo(1);
  }

  @Test
  void ingest_firingAlert_recordsTheAnomalyAndItsDetectionLineButStaysOpen() {
    Ingested result = world.ingest.ingest(List.of(Alerts.highLatency())).get(0);

    Incident stored = world.incident(result.incidentId());
    assertThat(stored.status()).isEqualTo(IncidentStatus.OPEN);
    assertThat(stored.anomaly().signature()).isEqualTo(result.signature());
    assertThat(stored.timeline()).extracting(Incident.TimelineEntry::stage).containsExactly("ingest", "detect");
    assertThat(stored.timeline().get(1).message())
        .isEqualTo("high_latency for payment-api in india (1850 ms vs threshold 500 ms)");
  }

  @Test
  void ingest_duplicateDelivery_createsNothing() {
    Ingested first = world.ingest.ingest(List.of(Alerts.highLatency())).get(0);
    Ingested again = world.ingest.ingest(List.of(Alerts.highLatency())).get(0);

    assertThat(again.created()).isFalse();
    assertThat(again.incidentId()).isEqualTo(first.incidentId());
    assertThat(world.incidents.size()).isEqualTo(1);
  }

  @Test
  void ingest_recurrence_opensASecondIncident() {
    Alert first = Alerts.highLatency();
    Alert later = Alerts.recurrence(first, first.startsAt().plus(Duration.ofHours(2)));

    List<Ingested> results = world.ingest.ingest(List.of(first, later));

    assertThat(results).extracting(Ingested::created).containsExactly(true, true);
    assertThat(results.get(0).incidentId()).isNotEqualTo(results.get(1).incidentId());
    assertThat(results.get(0).signature()).isEqualTo(results.get(1).signature());
    assertThat(world.incidents.size()).isEqualTo(2);
  }

  @Test
  void ingest_resolvedAlert_marksItsIncidentOnce() {
    Alert firing = Alerts.highLatency();
    String id = world.ingest.ingest(List.of(firing)).get(0).incidentId();
    Alert resolved = Alerts.resolved(firing, firing.startsAt().plus(Duration.ofMinutes(30)));

    Ingested result = world.ingest.ingest(List.of(resolved)).get(0);
    world.ingest.ingest(List.of(resolved));

    assertThat(result.incidentId()).isEqualTo(id);
    assertThat(result.created()).isFalse();
    assertThat(result.alertStatus()).isEqualTo(AlertStatus.RESOLVED);
    assertThat(world.incident(id).alertResolvedAt()).isEqualTo(resolved.endsAt());
    assertThat(world.incident(id).timeline()).filteredOn(e -> e.message().contains("resolved")).hasSize(1);
  }

  @Test
  void ingest_resolvedAlertWithoutIncident_storesNothing() {
    Alert resolved = Alerts.resolved(Alerts.highLatency(), Alerts.STARTS_AT.plusSeconds(60));

    Ingested result = world.ingest.ingest(List.of(resolved)).get(0);

    assertThat(result.incidentId()).isNull();
    assertThat(result.created()).isFalse();
    assertThat(world.incidents.size()).isZero();
  }

  @Test
  void ingest_hostileLabels_produceSafeSignature() {
    Alert hostile = Alerts.builder("HighLatency")
        .label("service", "api; rm -rf /").label("region", "$(curl x)\n\u202eevil").build();

    Ingested result = world.ingest.ingest(List.of(hostile)).get(0);

    assertThat(result.signature().toString()).matches("[a-z0-9._|-]+").isEqualTo("high_latency|api-rm-rf|curl-x-evil");
  }

  @Test
  void ingest_fiftyConcurrentDeliveries_openExactlyOneIncident() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Ingested>> futures = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      futures.add(pool.submit(() -> {
        start.await();
        return world.ingest.ingest(List.of(Alerts.highLatency())).get(0);
      }));
    }
    start.countDown();
    Set<String> ids = new HashSet<>();
    int created = 0;
    for (Future<Ingested> future : futures) {
      Ingested result = future.get();
      ids.add(result.incidentId());
      created += result.created() ? 1 : 0;
    }
    pool.shutdown();

    assertThat(world.incidents.size()).isEqualTo(1);
    assertThat(ids).hasSize(1);
    assertThat(created).isEqualTo(1);
  }

  @Test
  void ingest_defaultIds_lookLikeIncidentIds() {
    IngestAlerts ingest = new IngestAlerts(world.incidents, world.detector, world.clock, Ids.incidentIds(world.clock));
    assertThat(ingest.ingest(List.of(Alerts.highLatency())).get(0).incidentId()).matches("inc-20250314-[a-z2-7]{12}");
  }
}
