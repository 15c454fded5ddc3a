package dev.reflex.adapters.dynamodb;

import static dev.reflex.adapters.dynamodb.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.model.Approval;
import dev.reflex.domain.model.Approval.ApprovalStatus;
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

  @Test
  void decide_once_recordsTheDecisionAndKeepsTheToken() {
    Approval pending = Fixtures.pendingApproval("apr-1", "inc-1", T0);
    store.create(pending);
    Approval approved = pending.decide(ApprovalStatus.APPROVED, "alice@example.com", T0.plusSeconds(30), "looks right");
    dynamo.calls().reset();

    assertThat(store.decide(approved)).isTrue();

    assertThat(dynamo.calls().snapshot()).isEqualTo(Map.of("UpdateItem", 1L));
    assertThat(store.find("apr-1")).contains(approved);
  }

  @Test
  void decide_twice_secondReturnsFalseAndChangesNothing() {
    Approval pending = Fixtures.pendingApproval("apr-1", "inc-1", T0);
    store.create(pending);
    Approval approved = pending.decide(ApprovalStatus.APPROVED, "alice", T0.plusSeconds(30), null);
    store.decide(approved);

    assertThat(store.decide(pending.decide(ApprovalStatus.REJECTED, "bob", T0.plusSeconds(40), "no"))).isFalse();

    assertThat(store.find("apr-1")).contains(approved);
  }

  @Test
  void decide_whenAbsent_returnsFalseAndCreatesNothing() {
    Approval ghost = Fixtures.pendingApproval("ghost", "inc-1", T0);

    assertThat(store.decide(ghost.decide(ApprovalStatus.APPROVED, "alice", T0, null))).isFalse();

    assertThat(store.find("ghost")).isEmpty();
  }

  @Test
  void decide_withPendingStatus_isRefused() {
    Approval pending = Fixtures.pendingApproval("apr-1", "inc-1", T0);
    store.create(pending);

    assertThatThrownBy(() -> store.decide(pending)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decide_whenTenDecideConcurrently_exactlyOneWins() throws Exception {
    Approval pending = Fixtures.pendingApproval("apr-1", "inc-1", T0);
    store.create(pending);
    int deciders = 10;
    ExecutorService pool = Executors.newFixedThreadPool(deciders);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < deciders; i++) {
      Approval decision = pending.decide(i % 2 == 0 ? ApprovalStatus.APPROVED : ApprovalStatus.REJECTED,
          "person-" + i, T0.plusSeconds(i), "because " + i);
      results.add(pool.submit(() -> {
        start.await();
        return store.decide(decision);
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
    int winner = won.indexOf(true);
    assertThat(stored.decidedBy()).isEqualTo("person-" + winner);
    assertThat(stored.status()).isNotEqualTo(ApprovalStatus.PENDING);
  }

  @Test
  void toString_ofTheStore_namesTheTableOnly() {
    store.create(Fixtures.pendingApproval("apr-1", "inc-1", T0));

    assertThat(store.toString()).isEqualTo("DynamoDbApprovalStore[" + tables.approvals() + "]")
        .doesNotContain("SECRET-TASK-TOKEN");
  }
}
