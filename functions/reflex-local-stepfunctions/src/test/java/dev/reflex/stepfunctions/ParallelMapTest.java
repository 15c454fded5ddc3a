package dev.reflex.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ParallelMapTest {

    @Test
    void parallel_collectsBranchOutputsInBranchOrder_thenResultSelector() {
        try (Harness h = new Harness().load("fan", "parallel-pass.asl.json")) {
            String arn = h.start("fan", "{\"n\":21,\"ignored\":true}");
            assertThat(h.await(arn).status()).isEqualTo(ExecutionStatus.RUNNING);
            ExecutionDescription d = h.advance(arn, Duration.ofSeconds(5));
            assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(Harness.output(d)).isEqualTo(Harness.json("{\"doubled\":42,\"same\":21}"));
            assertThat(h.eventTypes(arn)).containsSubsequence("ParallelStateEntered", "ParallelStateStarted", "ParallelStateSucceeded",
                    "ParallelStateExited");
        }
    }

    @Test
    void parallel_whenOneBranchFails_failsStateWithThatError_andCancelsTheOthers() throws Exception {
        try (Harness h = new Harness().load("checks", "parallel.asl.json")) {
            AtomicReference<String> token = new AtomicReference<>();
            CountDownLatch tokenIssued = new CountDownLatch(1);
            CountDownLatch logsStarted = new CountDownLatch(1);
            CountDownLatch logsInterrupted = new CountDownLatch(1);
            h.sfn.registerHandler("sign-off", (in, ctx) -> {
                token.set(ctx.taskToken());
                tokenIssued.countDown();
                return null;
            });
            h.sfn.registerHandler("logs", (in, ctx) -> {
                logsStarted.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    logsInterrupted.countDown();
                    throw e;
                }
                return in;
            });
            h.sfn.registerHandler("health", (in, ctx) -> {
                tokenIssued.await(5, TimeUnit.SECONDS);
                logsStarted.await(5, TimeUnit.SECONDS);
                throw new IllegalStateException("health check failed");
            });
            ExecutionDescription d = h.run("checks", "{\"incident\":\"i-3\"}");
            assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(Harness.output(d).get("error")).isEqualTo(Harness.json(
                    "{\"Error\":\"java.lang.IllegalStateException\",\"Cause\":\"health check failed\"}"));
            assertThat(logsInterrupted.await(5, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> h.sfn.sendTaskSuccess(token.get(), "{}")).isInstanceOf(TaskTimedOutException.class);
            assertThat(h.eventTypes(d.executionArn())).containsSubsequence("ParallelStateFailed", "ParallelStateExited", "PassStateEntered");
            assertThat(h.eventTypes(d.executionArn())).doesNotContain("ParallelStateSucceeded");
        }
    }

    @Test
    void map_readsItemsPath_appliesItemSelectorWithMapContext_andKeepsItemOrder() {
        try (Harness h = new Harness().load("restarts", "map.asl.json")) {
            h.sfn.registerHandler("restart", (in, ctx) -> Harness.json(
                    "{\"host\":\"" + in.get("host").asText() + "\",\"position\":" + in.get("position") + ",\"runbook\":\"" + in.get("runbook").asText() + "\"}"));
            ExecutionDescription d = h.run("restarts", "{\"runbook\":\"rb-1\",\"incident\":{\"hosts\":[\"a\",\"b\",\"c\"]}}");
            assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(Harness.output(d).get("restarts")).isEqualTo(Harness.json("""
                    [{"host":"a","position":0,"runbook":"rb-1"},{"host":"b","position":1,"runbook":"rb-1"},{"host":"c","position":2,"runbook":"rb-1"}]"""));
            List<String> types = h.eventTypes(d.executionArn());
            assertThat(types).containsSubsequence("MapStateEntered", "MapStateStarted", "MapIterationStarted", "MapIterationSucceeded",
                    "MapStateSucceeded", "MapStateExited");
            assertThat(types.stream().filter(t -> t.equals("MapIterationStarted")).count()).isEqualTo(3);
        }
    }

    @Test
    void map_respectsMaxConcurrency() {
        try (Harness h = new Harness().load("restarts", "map.asl.json")) {
            AtomicInteger running = new AtomicInteger();
            AtomicInteger peak = new AtomicInteger();
            h.sfn.registerHandler("restart", (in, ctx) -> {
                peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                Thread.sleep(30);
                running.decrementAndGet();
                return in.get("host");
            });
            ExecutionDescription d = h.run("restarts", "{\"runbook\":\"r\",\"incident\":{\"hosts\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]}}");
            assertThat(Harness.output(d).get("restarts")).isEqualTo(Harness.json("[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]"));
            assertThat(peak.get()).isBetween(1, 2);
        }
    }

    @Test
    void map_whenAnIterationFails_failsTheMapState() {
        try (Harness h = new Harness().load("restarts", "map.asl.json")) {
            h.sfn.registerHandler("restart", (in, ctx) -> {
                if (in.get("host").asText().equals("bad")) throw new TaskFailedException("Reflex.RestartFailed", "bad host");
                return in;
            });
            ExecutionDescription d = h.run("restarts", "{\"runbook\":\"r\",\"incident\":{\"hosts\":[\"a\",\"bad\",\"c\"]}}");
            assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(d.error()).isEqualTo("Reflex.RestartFailed");
            assertThat(h.eventTypes(d.executionArn())).contains("MapIterationFailed", "MapStateFailed");
        }
    }

    @Test
    void map_withEmptyItems_succeedsWithEmptyArray() {
        try (Harness h = new Harness().load("restarts", "map.asl.json")) {
            ExecutionDescription d = h.run("restarts", "{\"runbook\":\"r\",\"incident\":{\"hosts\":[]}}");
            assertThat(Harness.output(d).get("restarts")).isEqualTo(Harness.json("[]"));
        }
    }

    @Test
    void map_whenItemsPathIsNotAnArray_failsWithStatesRuntime() {
        try (Harness h = new Harness().load("restarts", "map.asl.json")) {
            ExecutionDescription d = h.run("restarts", "{\"runbook\":\"r\",\"incident\":{\"hosts\":\"a\"}}");
            assertThat(d.error()).isEqualTo("States.Runtime");
        }
    }

    @Test
    void map_legacyIteratorAndParameters_behaveLikeItemProcessorAndItemSelector() {
        try (Harness h = new Harness().load("squares", "map-legacy.asl.json")) {
            ExecutionDescription d = h.run("squares", "{\"data\":{\"numbers\":[1,2,3],\"offset\":10}}");
            assertThat(Harness.output(d)).isEqualTo(Harness.json("[11,12,13]"));
        }
    }
}
