package dev.reflex.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.model.Approval;
import dev.reflex.domain.model.ApprovalVote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoDbApprovalStoreIT {

  @RegisterExtension static final LocalDynamoDbExtension dynamo = new LocalDynamoDbExtension();
  /** Now, not the fixtures' fixed past: DynamoDB Local deletes items whose TTL has passed. */
  private static final java.time.Instant T0 = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

  private TableNames tables;
  private DynamoDbApprovalStore store;

  @BeforeEach
  void setUp() {
    tables = dynamo.freshTables();
    store = new DynamoDbApprovalStore(dynamo.client(), tables.approvals());
  }

  @Test
  void find_afterCreate_returnsTheApprovalWithItsToken() {
    Approval approval = Fixtures.pendingApproval("apr-1", "inc-1", T0);

    store.create(approval);

    assertThat(store.find("apr-1")).contains(approval);
    assertThat(store.find("absent")).isEmpty();
  }

  @Test
  void create_storesTtlSevenDaysAfterExpiry() {
    Approval approval = Fixtures.pendingApproval("apr-1", "inc-1", T0);
    store.create(approval);

    Map<String, AttributeValue> item = dynamo.client()
        .getItem(r -> r.tableName(tables.approvals()).key(DynamoDbApprovalStore.key("apr-1"))).item();

    assertThat(Long.parseLong(item.get("ttl").n()))
        .isEqualTo(approval.expiresAt().plus(Duration.ofDays(7)).getEpochSecond());
  }

  @Test
  void create_whenIdTaken_isRefusedWithoutTheToken() {
    Approval approval = Fixtures.pendingApproval("apr-1", "inc-1", T0);
    store.create(approval);

    assertThatThrownBy(() -> store.create(approval))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apr-1")
        .hasMessageNotContaining(approval.taskToken());
  }

  @Test
  void findByIncident_returnsTheIncidentsLatestApproval() {
    store.create(Fixtures.pendingApproval("apr-old", "inc-1", T0));
    Approval latest = Fixtures.pendingApproval("apr-new", "inc-1", T0.plusSeconds(60));
    store.create(latest);
    store.create(Fixtures.pendingApproval("apr-other", "inc-2", T0.plusSeconds(120)));
    dynamo.calls().reset();

    assertThat(store.findByIncident("inc-1")).contains(latest);
    assertThat(dynamo.calls().snapshot()).isEqualTo(Map.of("Query", 1L));
    assertThat(store.findByIncident("inc-3")).isEmpty();
  }

  private static ApprovalVote vote(String who, boolean approve, int second) {
    return new ApprovalVote(who, approve, T0.plusSeconds(second), "because " + who,
        ApprovalVote.Source.link("203.0.113.9", "Mozilla/5.0 (X11) test"));
  }

  @Test
  void update_withNextVersion_writesTheVoteWithWhoWhenAndWhereAndKeepsTheToken() {
    Approval pending = Fixtures.pendingApproval("apr-1", "inc-1", T0);
    store.create(pending);
    Approval voted = pending.withVote(vote("alice@example.com", true, 30));
    dynamo.calls().reset();

    assertThat(store.update(voted)).isTrue();

    assertThat(dynamo.calls().snapshot()).isEqualTo(Map.of("PutItem", 1L));
    Approval stored = store.find("apr-1").orElseThrow();
    assertThat(stored).isEqualTo(voted);
    assertThat(stored.taskToken()).isEqualTo(pending.taskToken());
    assertThat(stored.votes()).singleElement().satisfies(v -> {
      assertThat(v.at()).isEqualTo(T0.plusSeconds(30));
      assertThat(v.source().address()).isEqualTo("203.0.113.9");
      assertThat(v.source().userAgent()).isEqualTo("Mozilla/5.0 (X11) test");
    });
  }

  @Test
  void update_fromAStaleVersion_returnsFalseAndChangesNothing() {
    Approval pending = Fixtures.pendingApproval("apr-1", "inc-1", T0);
    store.create(pending);
    Approval alice = pending.withVote(vote("alice@example.com", true, 30));
    store.update(alice);

    assertThat(store.update(pending.withVote(vote("bob@example.com", false, 40)))).isFalse();

    assertThat(store.find("apr-1")).contains(alice);
  }

  @Test
  void update_whenAbsent_returnsFalseAndCreatesNothing() {
    Approval ghost = Fixtures.pendingApproval("ghost", "inc-1", T0);

    assertThat(store.update(ghost.withVote(vote("alice@example.com", true, 1)))).isFalse();

    assertThat(store.find("ghost")).isEmpty();
  }

  @Test
  void update_withVersionZero_isRefused() {
    Approval pending = Fixtures.pendingApproval("apr-1", "inc-1", T0);
    store.create(pending);

    assertThatThrownBy(() -> store.update(pending)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void update_whenTenWriteTheSameVersionConcurrently_exactlyOneWins() throws Exception {
    Approval pending = Fixtures.pendingApproval("apr-1", "inc-1", T0);
    store.create(pending);
    int writers = 10;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      Approval next = pending.withVote(vote("person-" + i + "@example.com", i % 2 == 0, i));
      results.add(pool.submit(() -> {
        start.await();
        return store.update(next);
      }));
    }
    start.countDown();
    List<Boolean> won = new ArrayList<>();
    for (Future<Boolean> result : results) {
      won.add(result.get());
    }
    pool.shutdown();

    assertThat(won).containsOnlyOnce(true);
    Approval stored = store.find("apr-1").orElseThrow();
    assertThat(stored.version()).isEqualTo(1);
    assertThat(stored.votes()).singleElement()
        .satisfies(v -> assertThat(v.approver()).isEqualTo("person-" + won.indexOf(true) + "@example.com"));
  }

  @Test
  void toString_ofTheStore_namesTheTableOnly() {
    store.create(Fixtures.pendingApproval("apr-1", "inc-1", T0));

    assertThat(store.toString()).isEqualTo("DynamoDbApprovalStore[" + tables.approvals() + "]")
        .doesNotContain("SECRET-TASK-TOKEN");
  }
}
