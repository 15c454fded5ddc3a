package dev.reflex.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A second runtime on the same store stands in for the process after a restart. */
class DurabilityTest {
    final ManualTimerService clock = new ManualTimerService();
    final InMemoryExecutionStore store = new InMemoryExecutionStore();

    private Harness approvalRuntime(AtomicReference<String> token, AtomicInteger notifications) {
        Harness h = new Harness(clock, store);
        h.sfn.loadStateMachine("approval", Harness.asl("approval-callback.asl.json"), CallbackTest.SUBS);
        h.sfn.registerHandler("notify-approver", (in, ctx) -> {
            token.set(ctx.taskToken());
            notifications.incrementAndGet();
            return null;
        });
        return h;
    }

    @Test
    void waitingToken_survivesRestart_andCallbackToNewRuntimeCompletesExecution() {
        AtomicReference<String> token = new AtomicReference<>();
        AtomicInteger notifications = new AtomicInteger();
        String arn;
        try (Harness before = approvalRuntime(token, notifications)) {
            arn = before.start("approval", "{\"incident\":\"i-1\"}");
            assertThat(before.await(arn).status()).isEqualTo(ExecutionStatus.RUNNING);
        }
        try (Harness after = approvalRuntime(new AtomicReference<>(), notifications)) {
            after.sfn.resume();
            after.sfn.sendTaskSuccess(token.get(), "{\"approvedBy\":\"restart@example.com\"}");
            ExecutionDescription d = after.await(arn);
            assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(Harness.output(d).at("/approval/approvedBy").asText()).isEqualTo("restart@example.com");
            assertThat(notifications).as("the approver is not notified twice").hasValue(1);
            List<Long> ids = after.sfn.getExecutionHistory(arn).stream().map(HistoryEvent::id).toList();
            assertThat(ids).isSorted().doesNotHaveDuplicates().startsWith(1L);
        }
    }

    @Test
    void tokenTimeout_isReArmedAfterRestart() {
        AtomicReference<String> token = new AtomicReference<>();
        AtomicInteger notifications = new AtomicInteger();
        String arn;
        try (Harness before = approvalRuntime(token, notifications)) {
            arn = before.start("approval", "{\"incident\":\"i-1\"}");
            before.await(arn);
        }
        assertThat(clock.pendingTimers()).as("closing cancels this runtime's timers").isEmpty();
        try (Harness after = approvalRuntime(new AtomicReference<>(), notifications)) {
            after.sfn.resume();
            assertThat(clock.pendingDelays()).containsExactly(Duration.ofHours(1));
            ExecutionDescription d = after.advance(arn, Duration.ofHours(1));
            assertThat(Harness.output(d).get("outcome").asText()).isEqualTo("escalated");
            assertThatThrownBy(() -> after.sfn.sendTaskSuccess(token.get(), "{}")).isInstanceOf(TaskTimedOutException.class);
        }
    }

    @Test
    void waitState_survivesRestart() {
        String arn;
        try (Harness before = new Harness(clock, store).load("wait", "wait.asl.json")) {
            arn = before.start("wait", "{\"delay\":0,\"until\":\"2020-01-01T00:00:00Z\"}");
            before.await(arn);
            before.advance(arn, Duration.ofSeconds(100));
        }
        try (Harness after = new Harness(clock, store).load("wait", "wait.asl.json")) {
            after.sfn.resume();
            assertThat(clock.pendingDelays()).containsExactly(Duration.ofSeconds(200));
            assertThat(after.advance(arn, Duration.ofSeconds(200)).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
    }

    @Test
    void resume_withoutDefinitionLoaded_namesTheMissingStateMachine() {
        try (Harness before = new Harness(clock, store).load("wait", "wait.asl.json")) {
            before.await(before.start("wait", "{}"));
        }
        try (Harness after = new Harness(clock, store)) {
            assertThatThrownBy(after.sfn::resume).isInstanceOf(StateMachineDoesNotExistException.class).hasMessageContaining("wait");
        }
    }

    @Test
    void everyTransitionIsPersisted_soTheStoreSeesEachStep() {
        try (Harness h = new Harness(clock, store).load("wait", "wait.asl.json")) {
            String arn = h.start("wait", "{\"delay\":1,\"until\":\"2020-01-01T00:00:00Z\"}");
            h.await(arn);
            ExecutionRecord paused = store.find(arn).orElseThrow();
            assertThat(paused.status()).isEqualTo(ExecutionStatus.RUNNING);
            assertThat(paused.runtimeState().toJson()).contains("Let it settle").contains("WAITING_TIMER");
            assertThat(store.history(arn)).extracting(HistoryEvent::type).containsExactly("ExecutionStarted", "WaitStateEntered");
            h.advance(arn, Duration.ofSeconds(300));
            assertThat(store.find(arn).orElseThrow().version()).isGreaterThan(paused.version());
            assertThat(store.find(arn).orElseThrow().runtimeState().toJson()).contains("Wait as told");
        }
    }

    @Test
    void twoRuntimesOnOneStore_cannotStartTheSameExecutionTwice() {
        try (Harness a = new Harness(clock, store).load("wait", "wait.asl.json");
             Harness b = new Harness(clock, store).load("wait", "wait.asl.json")) {
            a.sfn.startExecution("wait", "same", "{}");
            assertThatThrownBy(() -> b.sfn.startExecution("wait", "same", "{}")).isInstanceOf(ExecutionAlreadyExistsException.class);
        }
    }

}
