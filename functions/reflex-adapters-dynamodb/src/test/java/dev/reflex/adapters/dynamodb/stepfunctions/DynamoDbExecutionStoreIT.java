package dev.reflex.adapters.dynamodb.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.reflex.stepfunctions.ExecutionAlreadyExistsException;
import dev.reflex.stepfunctions.ExecutionDescription;
import dev.reflex.stepfunctions.ExecutionRecord;
import dev.reflex.stepfunctions.ExecutionStatus;
import dev.reflex.stepfunctions.ExecutionStore;
import dev.reflex.stepfunctions.HistoryEvent;
import dev.reflex.stepfunctions.RuntimeState;
import dev.reflex.stepfunctions.InMemoryExecutionStore;
import dev.reflex.stepfunctions.LocalStepFunctions;
import dev.reflex.stepfunctions.ManualTimerService;
import dev.reflex.stepfunctions.TaskDoesNotExistException;
import dev.reflex.stepfunctions.TaskFailedException;
import dev.reflex.stepfunctions.TaskTimedOutException;
import dev.reflex.stepfunctions.TaskTokenRecord;
import dev.reflex.stepfunctions.TokenStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On DynamoDB Local in-process: the store's own contract, then {@link LocalStepFunctions} on the
 * store — an execution that survives a restart of the runtime, and a scenario with Parallel, Map,
 * Retry, Catch and Wait whose outcome must not depend on the store.
 */
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

    // --- the runtime on the DynamoDB store -------------------------------------------------------

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String APPROVAL = """
            {
              "StartAt": "Request approval",
              "States": {
                "Request approval": {
                  "Type": "Task",
                  "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                  "Parameters": {
                    "FunctionName": "${RequestApprovalFunctionArn}",
                    "Payload": {"incidentId.$": "$.incidentId", "taskToken.$": "$$.Task.Token"}
                  },
                  "TimeoutSeconds": 3600,
                  "ResultPath": "$.approval",
                  "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.error", "Next": "Escalate to on-call"}],
                  "Next": "Approved?"
                },
                "Approved?": {
                  "Type": "Choice",
                  "Choices": [{"Variable": "$.approval.approved", "BooleanEquals": true, "Next": "Execute playbook"}],
                  "Default": "Rejected"
                },
                "Execute playbook": {"Type": "Pass", "Result": "done", "ResultPath": "$.execution", "End": true},
                "Rejected": {"Type": "Succeed"},
                "Escalate to on-call": {"Type": "Pass", "Result": "escalated", "ResultPath": "$.outcome", "End": true}
              }
            }""";
    private static final Map<String, String> APPROVAL_SUBSTITUTIONS =
            Map.of("RequestApprovalFunctionArn", "arn:aws:lambda:eu-west-1:123456789012:function:requestApproval");

    @Test
    void resume_onNewRuntimeAfterRestart_completesTheWaitingExecutionOnce() throws Exception {
        ManualTimerService clock = new ManualTimerService();
        AtomicReference<String> token = new AtomicReference<>();
        AtomicInteger approvalRequests = new AtomicInteger();
        String arn;
        try (LocalStepFunctions before = approvalRuntime(clock, store, token, approvalRequests)) {
            arn = before.startExecution("approval", "restart-1", "{\"incidentId\":\"inc-1\"}");
            assertThat(before.awaitQuiescent(arn, WAIT).status()).isEqualTo(ExecutionStatus.RUNNING);
        }
        assertThat(token.get()).isNotNull();

        DynamoDbExecutionStore reopened = new DynamoDbExecutionStore(dynamo.client(), store.tableName());
        try (LocalStepFunctions after = approvalRuntime(clock, reopened, new AtomicReference<>(), approvalRequests)) {
            after.resume();
            after.sendTaskSuccess(token.get(), "{\"approved\":true,\"approver\":\"alice@example.com\"}");
            ExecutionDescription done = after.awaitQuiescent(arn, WAIT);

            assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(JSON.readTree(done.output())).isEqualTo(JSON.readTree("""
                    {"incidentId": "inc-1", "approval": {"approved": true, "approver": "alice@example.com"}, "execution": "done"}"""));
            assertThat(approvalRequests).as("the approver is asked once, not again after the restart").hasValue(1);
            List<HistoryEvent> history = after.getExecutionHistory(arn);
            assertThat(history).extracting(HistoryEvent::id).isSorted().doesNotHaveDuplicates().startsWith(1L);
            assertThat(history).extracting(HistoryEvent::type)
                    .startsWith("ExecutionStarted", "TaskStateEntered")
                    .contains("TaskSucceeded", "ChoiceStateEntered", "PassStateEntered")
                    .endsWith("ExecutionSucceeded");
            assertThat(reopened.findToken(token.get()).orElseThrow().status()).isEqualTo(TokenStatus.SUCCEEDED);
            assertThatThrownBy(() -> after.sendTaskSuccess(token.get(), "{\"approved\":false}"))
                    .as("a token is consumed once")
                    .isInstanceOf(TaskDoesNotExistException.class);
        }
    }

    @Test
    void resume_afterRestart_reArmsTheTokenTimeout() throws Exception {
        ManualTimerService clock = new ManualTimerService();
        AtomicReference<String> token = new AtomicReference<>();
        String arn;
        try (LocalStepFunctions before = approvalRuntime(clock, store, token, new AtomicInteger())) {
            arn = before.startExecution("approval", "timeout-1", "{\"incidentId\":\"inc-2\"}");
            before.awaitQuiescent(arn, WAIT);
        }
        try (LocalStepFunctions after = approvalRuntime(clock, store, new AtomicReference<>(), new AtomicInteger())) {
            after.resume();
            assertThat(clock.pendingDelays()).containsExactly(Duration.ofHours(1));
            clock.advance(Duration.ofHours(1));
            ExecutionDescription escalated = after.awaitQuiescent(arn, WAIT);

            assertThat(JSON.readTree(escalated.output()).get("outcome").asText()).isEqualTo("escalated");
            assertThatThrownBy(() -> after.sendTaskSuccess(token.get(), "{}")).isInstanceOf(TaskTimedOutException.class);
        }
    }

    @Test
    void startExecution_sameNameOnTwoRuntimesSharingTheTable_isRefusedTheSecondTime() {
        ManualTimerService clock = new ManualTimerService();
        try (LocalStepFunctions a = approvalRuntime(clock, store, new AtomicReference<>(), new AtomicInteger());
             LocalStepFunctions b = approvalRuntime(clock, store, new AtomicReference<>(), new AtomicInteger())) {
            a.startExecution("approval", "same", "{\"incidentId\":\"inc-3\"}");

            assertThatThrownBy(() -> b.startExecution("approval", "same", "{\"incidentId\":\"inc-3\"}"))
                    .isInstanceOf(ExecutionAlreadyExistsException.class);
        }
    }

    /** Parallel, Map, Retry, Catch, ResultSelector and Wait: the DynamoDB store must give what the in-memory one gives. */
    private static final String CONFORMANCE = """
            {
              "StartAt": "Wait a moment",
              "States": {
                "Wait a moment": {"Type": "Wait", "Seconds": 30, "Next": "Check every host"},
                "Check every host": {
                  "Type": "Map",
                  "ItemsPath": "$.hosts",
                  "ItemSelector": {"host.$": "$$.Map.Item.Value", "position.$": "$$.Map.Item.Index"},
                  "MaxConcurrency": 2,
                  "ItemProcessor": {
                    "StartAt": "Probe the host",
                    "States": {
                      "Probe the host": {
                        "Type": "Task",
                        "Resource": "arn:aws:lambda:local:000000000000:function:flaky",
                        "Retry": [{"ErrorEquals": ["TransientError"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2.0}],
                        "End": true
                      }
                    }
                  },
                  "ResultPath": "$.probes",
                  "Next": "Remediate in parallel"
                },
                "Remediate in parallel": {
                  "Type": "Parallel",
                  "Branches": [
                    {"StartAt": "Restart service", "States": {"Restart service": {
                      "Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:echo", "End": true}}},
                    {"StartAt": "Page on-call", "States": {"Page on-call": {
                      "Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:broken", "End": true}}}
                  ],
                  "Catch": [{"ErrorEquals": ["CustomError"], "ResultPath": "$.remediationError", "Next": "Summarise"}],
                  "Next": "Summarise"
                },
                "Summarise": {
                  "Type": "Pass",
                  "Parameters": {
                    "probed.$": "States.ArrayLength($.probes)",
                    "probes.$": "$.probes",
                    "error.$": "$.remediationError.Error"
                  },
                  "End": true
                }
              }
            }""";

    @Test
    void scenario_withParallelMapRetryCatchAndWait_endsAsOnTheInMemoryStore() throws Exception {
        Run onDynamo = runConformance(store);
        Run inMemory = runConformance(new InMemoryExecutionStore());

        assertThat(onDynamo.description().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(JSON.readTree(onDynamo.description().output())).isEqualTo(JSON.readTree(inMemory.description().output()));
        assertThat(JSON.readTree(onDynamo.description().output()).get("probed").asInt()).isEqualTo(3);
        // as sets: whether the Parallel's good branch finishes before the other one fails is a race on either store
        assertThat(onDynamo.eventTypes()).containsExactlyInAnyOrderElementsOf(inMemory.eventTypes().stream().distinct().toList());
        assertThat(onDynamo.history()).extracting(HistoryEvent::id).isSorted().doesNotHaveDuplicates();
    }

    private record Run(ExecutionDescription description, List<HistoryEvent> history) {
        List<String> eventTypes() {
            return history.stream().map(HistoryEvent::type).distinct().toList();
        }
    }

    private static Run runConformance(ExecutionStore executionStore) {
        ManualTimerService clock = new ManualTimerService();
        Map<String, Integer> calls = new ConcurrentHashMap<>();
        try (LocalStepFunctions runtime = LocalStepFunctions.builder().timers(clock).executionStore(executionStore).build()) {
            runtime.registerHandler("echo", (input, ctx) -> input);
            runtime.registerHandler("broken", (input, ctx) -> {
                throw new TaskFailedException("CustomError", "paging is broken");
            });
            runtime.registerHandler("flaky", (input, ctx) -> {
                if (calls.merge(input.toString(), 1, Integer::sum) <= 2) {
                    throw new TaskFailedException("TransientError", "not yet");
                }
                return input;
            });
            runtime.loadStateMachine("conformance", CONFORMANCE, Map.of());
            String arn = runtime.startExecution("conformance", "c-1", "{\"hosts\":[\"web-1\",\"web-2\",\"db-1\"]}");
            ExecutionDescription description = runtime.awaitQuiescent(arn, WAIT);
            for (int step = 0; step < 100 && !description.status().isFinished(); step++) {
                List<Duration> delays = clock.pendingDelays();
                assertThat(delays).as("a running execution waits on a timer").isNotEmpty();
                clock.advance(delays.getFirst());
                description = runtime.awaitQuiescent(arn, WAIT);
            }
            return new Run(description, runtime.getExecutionHistory(arn));
        }
    }

    private static LocalStepFunctions approvalRuntime(ManualTimerService clock, ExecutionStore executionStore,
                                                      AtomicReference<String> token, AtomicInteger requests) {
        LocalStepFunctions runtime = LocalStepFunctions.builder().timers(clock).executionStore(executionStore).build();
        runtime.loadStateMachine("approval", APPROVAL, APPROVAL_SUBSTITUTIONS);
        runtime.registerHandler("requestApproval", (input, ctx) -> {
            token.set(ctx.taskToken());
            requests.incrementAndGet();
            return null;
        });
        return runtime;
    }

    private static String arn(String name) {
        return "arn:aws:states:local:000000000000:execution:machine:" + name;
    }

    private static ExecutionRecord running(String name, long version) {
        return new ExecutionRecord(arn(name), "machine", name, ExecutionStatus.RUNNING, "{}", null, null, null,
                T0, null, RuntimeState.fromJson("{\"state\":\"Start\"}"), version);
    }

    private static ExecutionRecord finished(String name, long version) {
        return new ExecutionRecord(arn(name), "machine", name, ExecutionStatus.SUCCEEDED, "{}", "{\"done\":true}",
                null, null, T0, T0.plusSeconds(5), RuntimeState.fromJson("{}"), version);
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
