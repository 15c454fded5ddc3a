package dev.reflex.adapters.dynamodb;

import static dev.reflex.adapters.dynamodb.Fixtures.SIGNATURE;
import static dev.reflex.adapters.dynamodb.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.error.PlaybookAlreadyExistsException;
import dev.reflex.domain.error.PlaybookNotFoundException;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DynamoDbPlaybookStoreIT {

  @RegisterExtension static final LocalDynamoDbExtension dynamo = new LocalDynamoDbExtension();

  private DynamoDbPlaybookStore store;

  @BeforeEach
  void setUp() {
    store = new DynamoDbPlaybookStore(dynamo.client(), dynamo.freshTables().playbooks());
  }

  @Test
  void find_afterCreate_returnsEveryField() {
    Playbook playbook = Fixtures.playbook("restart-payment-api", List.of("high_latency", "error_rate"), SIGNATURE);

    Playbook created = store.create(playbook);

    assertThat(created).isEqualTo(playbook);
    assertThat(store.find("restart-payment-api")).contains(playbook);
  }

  @Test
  void find_ofACatalogPlaybookWithoutSignatureOrOutcomes_returnsItUnchanged() {
    Playbook playbook = Fixtures.playbook("disk-cleanup", List.of("disk_full"), null)
        .withStats(PlaybookStats.initial(0.5)).withCommit(null, null);

    store.create(playbook);

    assertThat(store.find("disk-cleanup")).contains(playbook);
    assertThat(store.find("absent")).isEmpty();
  }

  @Test
  void find_ofAPlaybookWhoseStepDeclaresItsOwnVerification_returnsIt() {
    Playbook base = Fixtures.playbook("restart-checked", List.of("high_latency"), null);
    List<dev.reflex.domain.model.PlaybookStep> steps = new ArrayList<>(base.steps());
    steps.set(1, steps.get(1).withVerification(Fixtures.check()));
    Playbook playbook = new Playbook(base.id(), base.version(), base.title(), base.source(), base.status(),
        base.anomalyTypes(), base.signaturePatterns(), base.signature(), base.description(), base.guidance(),
        base.parameters(), steps, base.verification(), base.stats(), base.supportingIncidents(), base.evidenceText(),
        base.branch(), base.commitSha(), base.revision());

    store.create(playbook);

    Playbook found = store.find("restart-checked").orElseThrow();
    assertThat(found).isEqualTo(playbook);
    assertThat(found.steps().get(1).verification()).isEqualTo(Fixtures.check());
    assertThat(found.steps().get(0).verification()).isNull();
  }

  @Test
  void create_storesAtRevisionZero() {
    Playbook created = store.create(Fixtures.playbook("restart-payment-api", List.of(), null).withRevision(7));

    assertThat(created.revision()).isZero();
    assertThat(store.find("restart-payment-api")).contains(created);
  }

  @Test
  void create_withTypes_isOneTransactWriteItemsCall() {
    store.create(Fixtures.playbook("restart-payment-api", List.of("high_latency", "error_rate"), SIGNATURE));

    assertThat(dynamo.calls().snapshot()).isEqualTo(Map.of("TransactWriteItems", 1L));
  }

  @Test
  void create_whenIdTaken_throwsAlreadyExistsAndKeepsTheFirst() {
    Playbook first = Fixtures.playbook("restart-payment-api", List.of("high_latency"), SIGNATURE);
    store.create(first);

    assertThatThrownBy(() -> store.create(first.withStatus(PlaybookStatus.DISABLED)))
        .isInstanceOf(PlaybookAlreadyExistsException.class);
    assertThatThrownBy(() -> store.create(Fixtures.playbook("restart-payment-api", List.of(), null)))
        .isInstanceOf(PlaybookAlreadyExistsException.class);

    assertThat(store.find("restart-payment-api")).contains(first);
  }

  @Test
  void findBySignature_returnsOnlyPlaybooksDraftedForIt() {
    Playbook learned = Fixtures.playbook("learned-one", List.of("high_latency"), SIGNATURE);
    Playbook other = Fixtures.playbook("learned-two", List.of("high_latency"), Signature.of("high_latency", "x", "y"));
    Playbook catalog = Fixtures.playbook("catalog-one", List.of("high_latency"), null);
    List.of(learned, other, catalog).forEach(store::create);
    dynamo.calls().reset();

    assertThat(store.findBySignature(SIGNATURE)).containsExactly(learned);
    assertThat(dynamo.calls().snapshot()).isEqualTo(Map.of("Query", 1L));
    assertThat(store.findBySignature(Signature.of("nothing", "here", "at-all"))).isEmpty();
  }

  @Test
  void findByAnomalyType_queriesTheTypeIndexItems() {
    Playbook both = Fixtures.playbook("restart-both", List.of("high_latency", "error_rate"), null);
    Playbook latency = Fixtures.playbook("scale-latency", List.of("high_latency"), SIGNATURE);
    Playbook disk = Fixtures.playbook("disk-cleanup", List.of("disk_full"), null);
    List.of(both, latency, disk).forEach(store::create);
    dynamo.calls().reset();

    assertThat(store.findByAnomalyType("high_latency")).containsExactly(both, latency);
    assertThat(dynamo.calls().snapshot()).isEqualTo(Map.of("Query", 1L, "BatchGetItem", 1L));
    assertThat(store.findByAnomalyType("error_rate")).containsExactly(both);
    assertThat(store.findByAnomalyType("memory_leak")).isEmpty();
  }

  @Test
  void update_whenTypesChange_movesTheTypeIndexItems() {
    Playbook created = store.create(Fixtures.playbook("restart-both", List.of("high_latency", "error_rate"), null));
    Playbook changed = new Playbook(created.id(), "1.1.0", created.title(), created.source(), created.status(),
        List.of("error_rate", "saturation"), created.signaturePatterns(), created.signature(),
        created.description(), created.guidance(), created.parameters(), created.steps(),
        created.verification(), created.stats(), created.supportingIncidents(), created.evidenceText(),
        created.branch(), created.commitSha(), created.revision());

    Playbook stored = store.update(changed);

    assertThat(stored.revision()).isEqualTo(1);
    assertThat(store.findByAnomalyType("high_latency")).isEmpty();
    assertThat(store.findByAnomalyType("error_rate")).containsExactly(stored);
    assertThat(store.findByAnomalyType("saturation")).containsExactly(stored);
  }

  @Test
  void update_ofLearningNumbers_isOnePutItem() {
    Playbook created = store.create(Fixtures.playbook("restart-payment-api", List.of("high_latency"), SIGNATURE));
    dynamo.calls().reset();

    Playbook stored = store.update(created.withStats(new PlaybookStats(0.8, 4, 1, 0, T0.plusSeconds(60))));

    assertThat(dynamo.calls().snapshot()).isEqualTo(Map.of("PutItem", 1L));
    assertThat(store.find(created.id())).contains(stored);
    assertThat(stored.stats().successCount()).isEqualTo(4);
  }

  @Test
  void update_fromStaleRevision_throwsConcurrentUpdate() {
    Playbook created = store.create(Fixtures.playbook("restart-payment-api", List.of("high_latency"), SIGNATURE));
    Playbook winner = store.update(created.withStatus(PlaybookStatus.DISABLED));

    assertThatThrownBy(() -> store.update(created.withStatus(PlaybookStatus.PENDING_REVIEW)))
        .isInstanceOf(ConcurrentUpdateException.class)
        .hasMessageContaining("revision 1");

    assertThat(winner.revision()).isEqualTo(1);
    assertThat(store.find(created.id())).contains(winner);
  }

  @Test
  void update_whenAbsent_throwsPlaybookNotFound() {
    assertThatThrownBy(() -> store.update(Fixtures.playbook("ghost-playbook", List.of("x"), null)))
        .isInstanceOf(PlaybookNotFoundException.class);
  }

  @Test
  void update_whenTwentyWritersIncrementConcurrently_losesNoIncrement() throws Exception {
    store.create(Fixtures.playbook("restart-payment-api", List.of("high_latency"), SIGNATURE)
        .withStats(PlaybookStats.initial(0.5)));
    int writers = 20;
    AtomicInteger conflicts = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      done.add(pool.submit(() -> {
        start.await();
        while (true) {
          Playbook current = store.find("restart-payment-api").orElseThrow();
          PlaybookStats s = current.stats();
          try {
            store.update(current.withStats(
                new PlaybookStats(s.confidence(), s.successCount() + 1, s.failureCount(), 0, T0)));
            return null;
          } catch (ConcurrentUpdateException e) {
            conflicts.incrementAndGet();
          }
        }
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();

    Playbook result = store.find("restart-payment-api").orElseThrow();
    assertThat(result.stats().successCount()).isEqualTo(writers);
    assertThat(result.revision()).isEqualTo(writers);
  }

  @Test
  void list_returnsEveryPlaybookSortedByIdAndNoIndexItems() {
    for (int i = 9; i >= 0; i--) {
      store.create(Fixtures.playbook("playbook-" + i, List.of("high_latency", "t" + i), null));
    }

    assertThat(store.list()).extracting(Playbook::id)
        .containsExactly("playbook-0", "playbook-1", "playbook-2", "playbook-3", "playbook-4", "playbook-5",
            "playbook-6", "playbook-7", "playbook-8", "playbook-9");
  }
}
