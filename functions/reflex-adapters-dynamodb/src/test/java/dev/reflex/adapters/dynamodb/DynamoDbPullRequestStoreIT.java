package dev.reflex.adapters.dynamodb;

import static dev.reflex.adapters.dynamodb.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.model.PullRequestState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DynamoDbPullRequestStoreIT {

  @RegisterExtension static final LocalDynamoDbExtension dynamo = new LocalDynamoDbExtension();

  static final String BRANCH = "learned/high-latency--payment-api--india";

  private TableNames tables;
  private DynamoDbPullRequestStore store;

  @BeforeEach
  void setUp() {
    tables = dynamo.freshTables();
    store = new DynamoDbPullRequestStore(dynamo.client(), tables.playbooks());
  }

  @Test
  void open_thenFindOpen_returnsItWithBodyAndNumberedId() {
    store.open(BRANCH, "main", "Learned playbook", "## page", "a".repeat(40), T0);

    assertThat(store.findOpen(BRANCH)).hasValueSatisfying(record -> {
      assertThat(record.pullRequest().id()).isEqualTo("pr-1");
      assertThat(record.pullRequest().state()).isEqualTo(PullRequestState.OPEN);
      assertThat(record.pullRequest().headSha()).isEqualTo("a".repeat(40));
      assertThat(record.body()).isEqualTo("## page");
      assertThat(record.openedAt()).isEqualTo(T0);
    });
  }

  @Test
  void open_concurrentlyForOneBranch_letsExactlyOneWin() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      results.add(pool.submit((Callable<Boolean>) () -> {
        try {
          store.open(BRANCH, "main", "t", "b", null, T0);
          return true;
        } catch (DynamoDbPullRequestStore.AlreadyOpenException e) {
          return false;
        }
      }));
    }
    int winners = 0;
    for (Future<Boolean> result : results) {
      winners += result.get() ? 1 : 0;
    }
    pool.shutdown();

    assertThat(winners).isEqualTo(1);
    assertThat(store.list()).hasSize(1);
  }

  @Test
  void finish_closesOnceAndFreesTheBranch() {
    String id = store.open(BRANCH, "main", "t", "b", null, T0).pullRequest().id();

    store.finish(id, PullRequestState.CLOSED, null, "Closed: no", T0);

    assertThat(store.find(id).orElseThrow().pullRequest().state()).isEqualTo(PullRequestState.CLOSED);
    assertThat(store.find(id).orElseThrow().comments()).containsExactly("Closed: no");
    assertThat(store.findOpen(BRANCH)).isEmpty();
    assertThat(store.findLatest(BRANCH)).map(r -> r.pullRequest().id()).hasValue(id);
    assertThatThrownBy(() -> store.finish(id, PullRequestState.MERGED, "b".repeat(40), null, T0))
        .isInstanceOf(DynamoDbPullRequestStore.NotOpenException.class);
    assertThat(store.open(BRANCH, "main", "t", "b", null, T0).pullRequest().id()).isEqualTo("pr-2");
  }

  @Test
  void comment_appendsInOrder() {
    String id = store.open(BRANCH, "main", "t", "b", null, T0).pullRequest().id();

    store.comment(id, "first", T0);
    store.comment(id, "second", T0);

    assertThat(store.find(id).orElseThrow().comments()).containsExactly("first", "second");
  }

  @Test
  void records_doNotShowUpAsPlaybooks() {
    store.open(BRANCH, "main", "t", "b", null, T0);

    assertThat(new DynamoDbPlaybookStore(dynamo.client(), tables.playbooks()).list()).isEmpty();
  }
}
