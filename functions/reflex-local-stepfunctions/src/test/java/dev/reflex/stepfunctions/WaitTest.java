package dev.reflex.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WaitTest {

    @Test
    void wait_completesOnlyWhenTheManualClockAdvances() {
        try (Harness h = new Harness().load("wait", "wait.asl.json")) {
            String arn = h.start("wait", "{\"delay\":60,\"until\":\"2025-01-01T01:00:00Z\"}");
            assertThat(h.await(arn).status()).isEqualTo(ExecutionStatus.RUNNING);
            assertThat(h.clock.pendingDelays()).containsExactly(Duration.ofSeconds(300));

            assertThat(h.advance(arn, Duration.ofSeconds(299)).status()).isEqualTo(ExecutionStatus.RUNNING);
            assertThat(h.eventTypes(arn)).doesNotContain("WaitStateExited");

            h.advance(arn, Duration.ofSeconds(1));
            assertThat(h.clock.pendingDelays()).as("SecondsPath").containsExactly(Duration.ofSeconds(60));
            h.advance(arn, Duration.ofSeconds(60));
            // started at 00:00:00, now 00:06:00, TimestampPath says 01:00:00
            assertThat(h.clock.pendingDelays()).as("TimestampPath").containsExactly(Duration.ofMinutes(54));
            ExecutionDescription d = h.advance(arn, Duration.ofMinutes(54));
            assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(Harness.output(d).at("/result/settled").asBoolean()).isTrue();
            assertThat(h.eventTypes(arn)).containsSubsequence("WaitStateEntered", "WaitStateExited", "WaitStateEntered", "WaitStateExited",
                    "WaitStateEntered", "WaitStateExited", "PassStateEntered");
        }
    }

    @Test
    void wait_withTimestampInThePast_continuesImmediately() {
        try (Harness h = new Harness()) {
            h.loadText("m", """
                    {"StartAt":"Until","States":{"Until":{"Type":"Wait","Timestamp":"2020-01-01T00:00:00Z","End":true}}}""");
            assertThat(h.run("m", "{\"x\":1}").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
    }

    @Test
    void wait_withInvalidSecondsPathValue_failsWithStatesRuntime() {
        try (Harness h = new Harness().load("wait", "wait.asl.json")) {
            String arn = h.start("wait", "{\"delay\":\"soon\",\"until\":\"2025-01-01T01:00:00Z\"}");
            h.await(arn);
            ExecutionDescription d = h.advance(arn, Duration.ofSeconds(300));
            assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(d.error()).isEqualTo("States.Runtime");
        }
    }

    @Test
    void systemTimers_fireInRealTime() {
        try (LocalStepFunctions sfn = LocalStepFunctions.builder().build()) {
            sfn.loadStateMachine("m", """
                    {"StartAt":"Nap","States":{"Nap":{"Type":"Wait","Seconds":1,"End":true}}}""", java.util.Map.of());
            String arn = sfn.startExecution("m", null, "{}");
            long t0 = System.nanoTime();
            ExecutionDescription d = sfn.awaitQuiescent(arn, Duration.ofSeconds(5));
            if (d.status() == ExecutionStatus.RUNNING) {
                // paused on the timer: wait for it to fire
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (sfn.describeExecution(arn).status() == ExecutionStatus.RUNNING && System.nanoTime() < deadline) Thread.onSpinWait();
            }
            assertThat(sfn.describeExecution(arn).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
    }
}
