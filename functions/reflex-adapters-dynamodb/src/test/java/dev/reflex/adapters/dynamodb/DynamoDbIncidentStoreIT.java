package dev.reflex.adapters.dynamodb;

import static dev.reflex.adapters.dynamodb.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.error.IncidentNotFoundException;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.domain.port.IncidentStore.Opened;
import dev.reflex.domain.port.IncidentStore.StatusChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DynamoDbIncidentStoreIT {

  @RegisterExtension static final LocalDynamoDbExtension dynamo = new LocalDynamoDbExtension();

  private DynamoDbIncidentStore store;

  @BeforeEach
  void setUp() {
    store = new DynamoDbIncidentStore(dynamo.client(), dynamo.freshTables().incidents());
  }

  @Test
  void find_afterOpen_returnsEveryFieldOfAFullyPopulatedIncident() {
    Incident incident = Fixtures.fullIncident("inc-full");

    store.openIfAbsent(incident);

    assertThat(store.find("inc-full")).contains(incident);
    assertThat(store.findByOccurrenceKey(incident.occurrenceKey())).contains(incident);
  }

  @Test
  void find_whenAbsent_isEmpty() {
    assertThat(store.find("nope")).isEmpty();
    assertThat(store.findByOccurrenceKey("nope")).isEmpty();
  }

  @Test
  void openIfAbsent_whenNew_createsWithOneTransactWriteItemsCall() {
    Opened opened = store.openIfAbsent(Fixtures.openIncident("inc-1", "fp-1", T0));

    assertThat(opened.created()).isTrue();
    assertThat(dynamo.calls().snapshot()).isEqualTo(Map.of("TransactWriteItems", 1L));
  }

  @Test
  void openIfAbsent_storesAtRevisionZero() {
    Incident full = Fixtures.fullIncident("inc-full");
    Incident atSeven = new Incident(full.id(), full.occurrenceKey(), full.alert(), full.status(), full.createdAt(),
        full.updatedAt(), full.anomaly(), full.match(), full.remediation(), full.playbookId(),
        full.playbookVersion(), full.decision(), full.approvalId(), full.execution(), full.alertResolvedAt(),
        full.workflowExecutionId(), full.timeline(), 7);

    assertThat(store.openIfAbsent(atSeven).incident()).isEqualTo(full);
    assertThat(store.find("inc-full")).contains(full);
  }

  @Test
  void openIfAbsent_whenRedelivered_returnsTheExistingIncidentNotCreated() {
    Incident first = Fixtures.openIncident("inc-1", "fp-1", T0);
    Incident redelivery = Fixtures.openIncident("inc-2", "fp-1", T0);
    store.openIfAbsent(first);
    dynamo.calls().reset();

    Opened second = store.openIfAbsent(redelivery);

    // the cancelled guard put returns the existing incident id: one read of the incident follows
    assertThat(dynamo.calls().snapshot()).isEqualTo(Map.of("TransactWriteItems", 1L, "GetItem", 1L));
    assertThat(second.created()).isFalse();
    assertThat(second.incident()).isEqualTo(first);
    assertThat(store.find("inc-2")).isEmpty();
  }

  @Test
  void openIfAbsent_whenFiftyThreadsRace_createsExactlyOne() throws Exception {
    int threads = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Opened>> results = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Incident candidate = Fixtures.openIncident("inc-race-" + i, "fp-race", T0);
      Callable<Opened> open = () -> {
        start.await();
        return store.openIfAbsent(candidate);
      };
      results.add(pool.submit(open));
    }
    start.countDown();
    List<Opened> opened = new ArrayList<>();
    for (Future<Opened> result : results) {
      opened.add(result.get());
    }
    pool.shutdown();

    assertThat(opened).filteredOn(Opened::created).hasSize(1);
    String winner = opened.stream().filter(Opened::created).findFirst().orElseThrow().incident().id();
    assertThat(opened).extracting(o -> o.incident().id()).containsOnly(winner);
    assertThat(store.recent(100)).extracting(Incident::id).containsExactly(winner);
  }

  @Test
  void openIfAbsent_whenTheAlertRecurs_opensASecondIncident() {
    store.openIfAbsent(Fixtures.openIncident("inc-1", "fp-1", T0));

    Opened recurrence = store.openIfAbsent(Fixtures.openIncident("inc-2", "fp-1", T0.plusSeconds(3600)));

    assertThat(recurrence.created()).isTrue();
    assertThat(store.find("inc-1")).isPresent();
    assertThat(store.find("inc-2")).isPresent();
  }

  @Test
  void update_fromCurrentRevision_storesAndIncrementsRevision() {
    Incident opened = store.openIfAbsent(Fixtures.openIncident("inc-1", "fp-1", T0)).incident();
    Incident changed = opened.toBuilder().status(IncidentStatus.DETECTED)
        .note(T0.plusSeconds(5), "detect", "high latency").build();
    dynamo.calls().reset();

    Incident stored = store.update(changed);

    assertThat(stored.revision()).isEqualTo(1);
    assertThat(store.find("inc-1")).contains(stored);
    assertThat(stored.timeline()).hasSize(2);
    assertThat(dynamo.calls().count("PutItem")).isEqualTo(1);
  }

  @Test
  void update_fromStaleRevision_throwsConcurrentUpdateAndWritesNothing() {
    Incident opened = store.openIfAbsent(Fixtures.openIncident("inc-1", "fp-1", T0)).incident();
    Incident winner = store.update(opened.toBuilder().status(IncidentStatus.DETECTED).build());

    assertThatThrownBy(() -> store.update(opened.toBuilder().status(IncidentStatus.FAILED).build()))
        .isInstanceOf(ConcurrentUpdateException.class)
        .hasMessageContaining("inc-1");

    assertThat(store.find("inc-1")).contains(winner);
  }

  @Test
  void update_whenAbsent_throwsIncidentNotFound() {
    assertThatThrownBy(() -> store.update(Fixtures.openIncident("ghost", "fp-1", T0)))
        .isInstanceOf(IncidentNotFoundException.class);
    assertThat(store.find("ghost")).isEmpty();
  }

  /** An open incident whose anomaly was recorded at opening, as ingest stores it. */
  private static Incident classified(String id, String fingerprint) {
    Incident full = Fixtures.fullIncident(id);
    Incident open = Fixtures.openIncident(id, fingerprint, T0);
    return open.toBuilder().anomaly(full.anomaly()).note(T0, "detect", "high_latency for payment-api").build();
  }

  @Test
  void markDetected_openIncidentWithAnomaly_setsDetectedInOneUpdateWithoutReading() {
    store.openIfAbsent(classified("inc-1", "fp-1"));
    dynamo.calls().reset();

    StatusChange marked = store.markDetected("inc-1", T0.plusSeconds(5));

    assertThat(marked.changed()).isTrue();
    assertThat(marked.incident().status()).isEqualTo(IncidentStatus.DETECTED);
    assertThat(marked.incident().updatedAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(marked.incident().revision()).isEqualTo(1);
    assertThat(dynamo.calls().snapshot()).isEqualTo(Map.of("UpdateItem", 1L));
    assertThat(store.find("inc-1")).contains(marked.incident());
  }

  @Test
  void markDetected_thenAFullUpdate_keepsTheStatusAndRevisionInStep() {
    store.openIfAbsent(classified("inc-1", "fp-1"));
    Incident detected = store.markDetected("inc-1", T0.plusSeconds(5)).incident();

    Incident matched = store.update(detected.toBuilder().status(IncidentStatus.MATCHED)
        .note(T0.plusSeconds(6), "match", "matched").build());

    assertThat(matched.revision()).isEqualTo(2);
    assertThat(store.find("inc-1")).contains(matched);
    assertThatThrownBy(() -> store.update(detected)).isInstanceOf(ConcurrentUpdateException.class);
  }

  @Test
  void markDetected_retried_changesNothingAndReturnsTheStoredIncident() {
    store.openIfAbsent(classified("inc-1", "fp-1"));
    Incident first = store.markDetected("inc-1", T0.plusSeconds(5)).incident();
    dynamo.calls().reset();

    StatusChange again = store.markDetected("inc-1", T0.plusSeconds(9));

    assertThat(again.changed()).isFalse();
    assertThat(again.incident()).isEqualTo(first);
    assertThat(dynamo.calls().snapshot()).isEqualTo(Map.of("UpdateItem", 1L));
  }

  @Test
  void markDetected_incidentOpenedWithoutAnomaly_changesNothing() {
    Incident unclassified = store.openIfAbsent(Fixtures.openIncident("inc-1", "fp-1", T0)).incident();

    StatusChange marked = store.markDetected("inc-1", T0.plusSeconds(5));

    assertThat(marked.changed()).isFalse();
    assertThat(marked.incident()).isEqualTo(unclassified);
    assertThat(store.find("inc-1")).contains(unclassified);
  }

  @Test
  void markDetected_whenAbsent_throwsIncidentNotFoundAndCreatesNothing() {
    assertThatThrownBy(() -> store.markDetected("nope", T0)).isInstanceOf(IncidentNotFoundException.class);
    assertThat(store.find("nope")).isEmpty();
  }

  @Test
  void recent_returnsNewestFirstUpToTheLimit() {
    for (int i = 0; i < 5; i++) {
      store.openIfAbsent(Fixtures.openIncident("inc-" + i, "fp-" + i, T0.plusMillis(i * 100L)));
    }
    // a whole second later: the sort key must not depend on how many fraction digits an instant has
    store.openIfAbsent(Fixtures.openIncident("inc-late", "fp-late", T0.plusSeconds(1).minusNanos(123456789)));

    assertThat(store.recent(3)).extracting(Incident::id).containsExactly("inc-late", "inc-4", "inc-3");
    assertThat(store.recent(100)).extracting(Incident::id)
        .containsExactly("inc-late", "inc-4", "inc-3", "inc-2", "inc-1", "inc-0");
    assertThat(store.recent(0)).isEmpty();
  }

  @Test
  void recent_queriesTheIndexAndNeverScans() {
    store.openIfAbsent(Fixtures.openIncident("inc-1", "fp-1", T0));
    dynamo.calls().reset();

    store.recent(10);

    assertThat(dynamo.calls().snapshot()).isEqualTo(Map.of("Query", 1L));
  }
}
