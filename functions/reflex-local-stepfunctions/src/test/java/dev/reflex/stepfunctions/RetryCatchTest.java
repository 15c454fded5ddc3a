package dev.reflex.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryCatchTest {

    @Test
    void retry_backsOffExponentially_cappedByMaxDelaySeconds_thenCatchTakesOver() {
        try (Harness h = new Harness().load("flaky", "retry-backoff.asl.json")) {
            AtomicInteger calls = new AtomicInteger();
            h.sfn.registerHandler("flaky", (in, ctx) -> {
                calls.incrementAndGet();
                throw new TaskFailedException("Flaky", "try again (" + ctx.stateName() + ")");
            });
            String arn = h.start("flaky", "{\"id\":7}");
            h.await(arn);
            // IntervalSeconds 2, BackoffRate 3, MaxDelaySeconds 10: 2, 6, min(18,10), min(54,10)
            for (Duration expected : new Duration[] {Duration.ofSeconds(2), Duration.ofSeconds(6), Duration.ofSeconds(10), Duration.ofSeconds(10)}) {
                assertThat(h.clock.pendingDelays()).containsExactly(expected);
                assertThat(h.sfn.describeExecution(arn).status()).isEqualTo(ExecutionStatus.RUNNING);
                h.advance(arn, expected);
            }
            ExecutionDescription d = h.await(arn);
            assertThat(calls).hasValue(5);
            assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(Harness.output(d)).isEqualTo(Harness.json(
                    "{\"id\":7,\"failure\":{\"Error\":\"Flaky\",\"Cause\":\"try again (Call flaky service)\"}}"));
            assertThat(h.eventTypes(arn).stream().filter(t -> t.equals("TaskStateEntered")).count()).isEqualTo(1);
            assertThat(h.eventTypes(arn).stream().filter(t -> t.equals("LambdaFunctionFailed")).count()).isEqualTo(5);
        }
    }

    @Test
    void retry_whenAttemptSucceeds_continuesWithResult_andRetryCountIsInContext() {
        try (Harness h = new Harness()) {
            h.loadText("m", """
                    {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-1:123456789012:function:f",
                      "Parameters":{"retry.$":"$$.State.RetryCount"},
                      "Retry":[{"ErrorEquals":["States.TaskFailed"],"IntervalSeconds":1,"MaxAttempts":2}],"End":true}}}""");
            AtomicInteger calls = new AtomicInteger();
            h.sfn.registerHandler("f", (in, ctx) -> {
                if (calls.incrementAndGet() < 3) throw new IllegalStateException("not yet");
                return in;
            });
            String arn = h.start("m", "{}");
            h.await(arn);
            assertThat(h.clock.pendingDelays()).containsExactly(Duration.ofSeconds(1));
            h.advance(arn, Duration.ofSeconds(1));
            assertThat(h.clock.pendingDelays()).containsExactly(Duration.ofSeconds(2));
            ExecutionDescription d = h.advance(arn, Duration.ofSeconds(2));
            assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(Harness.output(d).get("retry").asInt()).isEqualTo(2);
        }
    }

    @Test
    void retry_withMaxAttemptsZero_neverRetries() {
        try (Harness h = new Harness()) {
            h.loadText("m", """
                    {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-1:123456789012:function:f",
                      "Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":0}],"End":true}}}""");
            AtomicInteger calls = new AtomicInteger();
            h.sfn.registerHandler("f", (in, ctx) -> {
                calls.incrementAndGet();
                throw new IllegalStateException("boom");
            });
            ExecutionDescription d = h.run("m", "{}");
            assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(calls).hasValue(1);
            assertThat(h.clock.pendingTimers()).isEmpty();
        }
    }

    @Test
    void retry_withFullJitter_delaysAtMostTheComputedInterval() {
        try (Harness h = new Harness()) {
            h.loadText("m", """
                    {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-1:123456789012:function:f",
                      "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":8,"MaxAttempts":1,"JitterStrategy":"FULL"}],"End":true}}}""");
            h.sfn.registerHandler("f", (in, ctx) -> {
                throw new IllegalStateException("boom");
            });
            String arn = h.start("m", "{}");
            h.await(arn);
            assertThat(h.clock.pendingDelays()).singleElement().satisfies(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(8)));
        }
    }

    @Test
    void catch_matchesInOrder_andDefaultResultPathReplacesInput() {
        try (Harness h = new Harness()) {
            h.loadText("m", """
                    {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-1:123456789012:function:f",
                      "Catch":[{"ErrorEquals":["java.lang.IllegalArgumentException"],"Next":"Bad input"},
                               {"ErrorEquals":["States.TaskFailed"],"Next":"Other"}],"End":true},
                     "Bad input":{"Type":"Pass","End":true},"Other":{"Type":"Fail","Error":"Other"}}}""");
            h.sfn.registerHandler("f", (in, ctx) -> {
                throw new IllegalArgumentException("bad");
            });
            ExecutionDescription d = h.run("m", "{\"keep\":false}");
            assertThat(Harness.output(d)).isEqualTo(Harness.json("{\"Error\":\"java.lang.IllegalArgumentException\",\"Cause\":\"bad\"}"));
        }
    }

    @Test
    void taskFailedWildcard_doesNotMatchTimeout_butStatesAllDoes() {
        try (Harness h = new Harness()) {
            h.loadText("m", """
                    {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-1:123456789012:function:f",
                      "TimeoutSeconds":5,
                      "Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Task failed"},{"ErrorEquals":["States.ALL"],"Next":"Anything"}],"End":true},
                     "Task failed":{"Type":"Pass","Result":"taskfailed","End":true},"Anything":{"Type":"Pass","Result":"all","End":true}}}""");
            h.sfn.registerHandler("f", (in, ctx) -> {
                Thread.sleep(60_000);
                return in;
            });
            String arn = h.start("m", "{}");
            waitUntilTaskStarted(h, arn);
            ExecutionDescription d = h.advance(arn, Duration.ofSeconds(5));
            assertThat(Harness.output(d).asText()).isEqualTo("all");
        }
    }

    @Test
    void statesRuntime_isNotCaughtByStatesAll() {
        try (Harness h = new Harness()) {
            h.loadText("m", """
                    {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-1:123456789012:function:f",
                      "InputPath":"$.missing",
                      "Retry":[{"ErrorEquals":["States.ALL"]}],
                      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Anything"}],"End":true},
                     "Anything":{"Type":"Pass","End":true}}}""");
            h.sfn.registerHandler("f", (in, ctx) -> in);
            ExecutionDescription d = h.run("m", "{}");
            assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(d.error()).isEqualTo("States.Runtime");
            assertThat(d.cause()).contains("$.missing");
        }
    }

    @Test
    void catch_withResultPathNull_keepsOriginalInput() {
        try (Harness h = new Harness()) {
            h.loadText("m", """
                    {"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-1:123456789012:function:f",
                      "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":null,"Next":"After"}],"End":true},
                     "After":{"Type":"Pass","End":true}}}""");
            h.sfn.registerHandler("f", (in, ctx) -> {
                throw new IllegalStateException("x");
            });
            assertThat(Harness.output(h.run("m", "{\"a\":1}"))).isEqualTo(Harness.json("{\"a\":1}"));
        }
    }

    @Test
    void failState_withErrorPathAndCausePath_failsExecutionWithThoseValues() {
        try (Harness h = new Harness()) {
            h.loadText("m", """
                    {"StartAt":"Give up","States":{"Give up":{"Type":"Fail","ErrorPath":"$.code",
                      "CausePath":"States.Format('incident {} could not be fixed', $.id)"}}}""");
            ExecutionDescription d = h.run("m", "{\"code\":\"Reflex.Unfixable\",\"id\":\"i-9\"}");
            assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(d.error()).isEqualTo("Reflex.Unfixable");
            assertThat(d.cause()).isEqualTo("incident i-9 could not be fixed");
            assertThat(h.eventTypes(d.executionArn())).containsExactly("ExecutionStarted", "FailStateEntered", "ExecutionFailed");
        }
    }

    @Test
    void failState_withLiteralErrorAndCause() {
        try (Harness h = new Harness()) {
            h.loadText("m", """
                    {"StartAt":"Give up","States":{"Give up":{"Type":"Fail","Error":"Reflex.Rejected","Cause":"approver said no"}}}""");
            ExecutionDescription d = h.run("m", "{}");
            assertThat(d.error()).isEqualTo("Reflex.Rejected");
            assertThat(d.cause()).isEqualTo("approver said no");
        }
    }

    static void waitUntilTaskStarted(Harness h, String arn) {
        long deadline = System.currentTimeMillis() + 5000;
        while (!h.eventTypes(arn).contains("LambdaFunctionStarted") && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
    }
}
