package dev.reflex.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class InMemoryExecutionStoreTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    final InMemoryExecutionStore store = new InMemoryExecutionStore();

    @Test
    void create_whenArnExists_refusesAndKeepsTheFirst() {
        assertThat(store.create(record("a", 1, ExecutionStatus.RUNNING), List.of(event(1)))).isTrue();

        assertThat(store.create(record("a", 1, ExecutionStatus.SUCCEEDED), List.of(event(1), event(2)))).isFalse();

        assertThat(store.find(arn("a")).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(store.history(arn("a"))).extracting(HistoryEvent::id).containsExactly(1L);
    }

    @Test
    void update_whenVersionIsStale_refusesAndWritesNoEvent() {
        store.create(record("a", 1, ExecutionStatus.RUNNING), List.of(event(1)));
        assertThat(store.update(record("a", 2, ExecutionStatus.RUNNING), 1, List.of(event(2)))).isTrue();

        assertThat(store.update(record("a", 2, ExecutionStatus.SUCCEEDED), 1, List.of(event(3)))).isFalse();

        assertThat(store.find(arn("a")).orElseThrow().version()).isEqualTo(2);
        assertThat(store.history(arn("a"))).extracting(HistoryEvent::id).containsExactly(1L, 2L);
    }

    @Test
    void update_whenExecutionIsUnknown_refuses() {
        assertThat(store.update(record("a", 2, ExecutionStatus.RUNNING), 1, List.of(event(2)))).isFalse();
        assertThat(store.history(arn("a"))).isEmpty();
    }

    @Test
    void update_whenTwoWritersRaceOnOneVersion_exactlyOneWins() throws Exception {
        store.create(record("a", 1, ExecutionStatus.RUNNING), List.of(event(1)));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> writes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                long id = 2 + i;
                writes.add(pool.submit(() -> {
                    go.await();
                    return store.update(record("a", 2, ExecutionStatus.RUNNING), 1, List.of(event(id)));
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> w : writes) won += w.get() ? 1 : 0;

            assertThat(won).isEqualTo(1);
            assertThat(store.history(arn("a"))).hasSize(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void history_isASnapshot_thatLaterUpdatesDoNotChange() {
        store.create(record("a", 1, ExecutionStatus.RUNNING), List.of(event(1)));
        List<HistoryEvent> before = store.history(arn("a"));

        store.update(record("a", 2, ExecutionStatus.RUNNING), 1, List.of(event(2)));

        assertThat(before).extracting(HistoryEvent::id).containsExactly(1L);
        assertThat(store.history(arn("a"))).extracting(HistoryEvent::id).containsExactly(1L, 2L);
    }

    @Test
    void runningExecutions_listsOnlyRunningOnes() {
        store.create(record("a", 1, ExecutionStatus.RUNNING), List.of());
        store.create(record("b", 1, ExecutionStatus.RUNNING), List.of());
        store.update(record("b", 2, ExecutionStatus.SUCCEEDED), 1, List.of());

        assertThat(store.runningExecutions()).containsExactly(arn("a"));
    }

    @Test
    void updateToken_movesOutOfWaitingOnlyOnce() {
        TaskTokenRecord waiting = new TaskTokenRecord("t", arn("a"), "main", 1, "Ask", TokenStatus.WAITING, null, null, null, T0);
        assertThat(store.putToken(waiting)).isTrue();
        assertThat(store.putToken(waiting)).as("a token is written once").isFalse();

        assertThat(store.updateToken(waiting.withOutcome(TokenStatus.SUCCEEDED, "{}", null, null), TokenStatus.WAITING)).isTrue();
        assertThat(store.updateToken(waiting.withOutcome(TokenStatus.TIMED_OUT, null, "States.Timeout", null), TokenStatus.WAITING)).isFalse();

        assertThat(store.findToken("t").orElseThrow().status()).isEqualTo(TokenStatus.SUCCEEDED);
        assertThat(store.updateToken(waiting, TokenStatus.WAITING)).isFalse();
        assertThat(store.updateToken(new TaskTokenRecord("unknown", arn("a"), "main", 1, "Ask", TokenStatus.FAILED, null, null, null, T0),
                TokenStatus.WAITING)).isFalse();
        assertThat(store.findToken("unknown")).isEmpty();
    }

    private static String arn(String name) {
        return "arn:aws:states:local:000000000000:execution:machine:" + name;
    }

    private static ExecutionRecord record(String name, long version, ExecutionStatus status) {
        return new ExecutionRecord(arn(name), "machine", name, status, "{}", null, null, null, T0, null,
                RuntimeState.fromJson("{\"v\":" + version + "}"), version);
    }

    private static HistoryEvent event(long id) {
        return new HistoryEvent(id, id - 1, T0.plusSeconds(id), "PassStateEntered", JsonNodeFactory.instance.objectNode().put("n", id));
    }
}
