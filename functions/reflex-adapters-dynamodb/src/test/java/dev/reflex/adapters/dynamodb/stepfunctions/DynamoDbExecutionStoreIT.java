package dev.reflex.adapters.dynamodb.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.reflex.stepfunctions.ExecutionRecord;
import dev.reflex.stepfunctions.ExecutionStatus;
import dev.reflex.stepfunctions.HistoryEvent;
import dev.reflex.stepfunctions.TaskTokenRecord;
import dev.reflex.stepfunctions.TokenStatus;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store's own contract, on DynamoDB Local in-process. */
class DynamoDbExecutionStoreIT {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static DynamoDbLocal dynamo;
    private static int tableCounter;

    private DynamoDbExecutionStore store;

    @BeforeAll
    static void startDynamoDb() {
        dynamo = new DynamoDbLocal();
    }

    @AfterAll
    static void stopDynamoDb() {
        dynamo.close();
    }

    @BeforeEach
    void freshTable() {
        store = new DynamoDbExecutionStore(dynamo.client(), "executions-" + (++tableCounter));
        store.createTableIfMissing();
    }

    @Test
    void createTableIfMissing_whenTableExists_doesNothing() {
        store.createTableIfMissing();

        assertThat(dynamo.client().describeTable(r -> r.tableName(store.tableName())).table().tableStatusAsString())
                .isEqualTo("ACTIVE");
    }

    @Test
    void create_whenArnIsNew_storesRecordAndFirstEvents() {
        boolean created = store.create(running("a", 1), List.of(event(1, "ExecutionStarted")));

        assertThat(created).isTrue();
        assertThat(store.find(arn("a"))).contains(running("a", 1));
        assertThat(store.history(arn("a"))).extracting(HistoryEvent::type).containsExactly("ExecutionStarted");
    }

    @Test
    void create_whenArnExists_refusesAndKeepsTheFirst() {
        store.create(running("a", 1), List.of(event(1, "ExecutionStarted")));

        boolean again = store.create(withInput(running("a", 1), "{\"other\":true}"), List.of(event(1, "Other")));

        assertThat(again).isFalse();
        assertThat(store.find(arn("a")).orElseThrow().input()).isEqualTo("{}");
        assertThat(store.history(arn("a"))).extracting(HistoryEvent::type).containsExactly("ExecutionStarted");
    }

    @Test
    void find_whenUnknown_isEmpty() {
        assertThat(store.find(arn("nobody"))).isEmpty();
        assertThat(store.history(arn("nobody"))).isEmpty();
    }

    @Test
    void update_whenVersionMatches_replacesRecordAndAppendsEvents() {
        store.create(running("a", 1), List.of(event(1, "ExecutionStarted")));

        ExecutionRecord done = finished("a", 2);
        boolean updated = store.update(done, 1, List.of(event(2, "PassStateEntered"), event(3, "ExecutionSucceeded")));

        assertThat(updated).isTrue();
        assertThat(store.find(arn("a"))).contains(done);
        assertThat(store.history(arn("a"))).extracting(HistoryEvent::id).containsExactly(1L, 2L, 3L);
    }

    @Test
    void update_whenVersionIsStale_refusesAndWritesNoEvent() {
        store.create(running("a", 1), List.of(event(1, "ExecutionStarted")));
        store.update(running("a", 2), 1, List.of(event(2, "PassStateEntered")));

        boolean stale = store.update(finished("a", 2), 1, List.of(event(3, "ExecutionSucceeded")));

        assertThat(stale).isFalse();
        assertThat(store.find(arn("a")).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(store.history(arn("a"))).extracting(HistoryEvent::id).containsExactly(1L, 2L);
    }

    @Test
    void update_withMoreEventsThanOneTransaction_keepsThemAllInIdOrder() {
        store.create(running("a", 1), List.of(event(1, "ExecutionStarted")));
        List<HistoryEvent> many = LongStream.rangeClosed(2, 251).mapToObj(id -> event(id, "MapIterationSucceeded")).toList();

        boolean updated = store.update(running("a", 2), 1, many);

        assertThat(updated).isTrue();
        assertThat(store.history(arn("a"))).extracting(HistoryEvent::id)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 251).boxed().toList());
    }

    @Test
    void history_keepsEventDetailsAndTimestamps() {
        var details = JsonNodeFactory.instance.objectNode().put("name", "Check").put("input", "{\"n\":1.50}");
        HistoryEvent entered = new HistoryEvent(2, 1, T0.plusMillis(1234), "PassStateEntered", details);
        store.create(running("a", 1), List.of(event(1, "ExecutionStarted"), entered));

        assertThat(store.history(arn("a")).get(1)).isEqualTo(entered);
    }

    @Test
    void runningExecutions_listsOnlyRunningOnes() {
        store.create(running("a", 1), List.of());
        store.create(running("b", 1), List.of());
        store.update(finished("b", 2), 1, List.of());

        assertThat(store.runningExecutions()).containsExactly(arn("a"));
    }

    @Test
    void largeTexts_areStoredCompressedAndReadBackVerbatim() {
        String big = "{\"log\":\"" + "x".repeat(300_000) + "\"}";
        store.create(withInput(running("a", 1), big), List.of());

        assertThat(store.find(arn("a")).orElseThrow().input()).isEqualTo(big);
    }

    @Test
    void putToken_whenTokenExists_refuses() {
        TaskTokenRecord token = waiting("tok-1");

        assertThat(store.putToken(token)).isTrue();
        assertThat(store.putToken(token)).isFalse();
        assertThat(store.findToken("tok-1")).contains(token);
    }

    @Test
    void updateToken_movesOnlyOnce() {
        store.putToken(waiting("tok-1"));
        TaskTokenRecord succeeded = waiting("tok-1").withOutcome(TokenStatus.SUCCEEDED, "{\"ok\":true}", null, null);
        TaskTokenRecord failed = waiting("tok-1").withOutcome(TokenStatus.FAILED, null, "Rejected", "no");

        assertThat(store.updateToken(succeeded, TokenStatus.WAITING)).isTrue();
        assertThat(store.updateToken(failed, TokenStatus.WAITING)).isFalse();
        assertThat(store.findToken("tok-1")).contains(succeeded);
    }

    @Test
    void findToken_whenUnknown_isEmpty() {
        assertThat(store.findToken("nope")).isEmpty();
    }

    private static String arn(String name) {
        return "arn:aws:states:local:000000000000:execution:machine:" + name;
    }

    private static ExecutionRecord running(String name, long version) {
        return new ExecutionRecord(arn(name), "machine", name, ExecutionStatus.RUNNING, "{}", null, null, null,
                T0, null, "{\"state\":\"Start\"}", version);
    }

    private static ExecutionRecord finished(String name, long version) {
        return new ExecutionRecord(arn(name), "machine", name, ExecutionStatus.SUCCEEDED, "{}", "{\"done\":true}",
                null, null, T0, T0.plusSeconds(5), "{}", version);
    }

    private static ExecutionRecord withInput(ExecutionRecord e, String input) {
        return new ExecutionRecord(e.executionArn(), e.stateMachineName(), e.name(), e.status(), input, e.output(),
                e.error(), e.cause(), e.startDate(), e.stopDate(), e.runtimeState(), e.version());
    }

    private static HistoryEvent event(long id, String type) {
        return new HistoryEvent(id, id - 1, T0.plusSeconds(id), type, JsonNodeFactory.instance.objectNode());
    }

    private static TaskTokenRecord waiting(String token) {
        return new TaskTokenRecord(token, arn("a"), "main", 1, "Request approval", TokenStatus.WAITING,
                null, null, null, T0);
    }
}
