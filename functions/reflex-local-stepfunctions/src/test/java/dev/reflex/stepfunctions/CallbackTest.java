package dev.reflex.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallbackTest {
    static final Map<String, String> SUBS = Map.of("NotifyApproverFunctionArn", "arn:aws:lambda:eu-west-1:123456789012:function:notify-approver");

    Harness h;
    final AtomicReference<String> tokenSeen = new AtomicReference<>();
    final AtomicReference<String> incidentSeen = new AtomicReference<>();

    @BeforeEach
    void setUp() {
        h = new Harness();
        h.sfn.loadStateMachine("approval", Harness.asl("approval-callback.asl.json"), SUBS);
        h.sfn.registerHandler("notify-approver", (in, ctx) -> {
            tokenSeen.set(ctx.taskToken());
            incidentSeen.set(in.get("incident").asText());
            return null;
        });
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void waitForTaskToken_pausesUntilSendTaskSuccess_thenAppliesResultPath() {
        String arn = h.start("approval", "{\"incident\":\"i-1\"}");
        ExecutionDescription paused = h.await(arn);
        assertThat(paused.status()).isEqualTo(ExecutionStatus.RUNNING);
        String token = tokenSeen.get();
        assertThat(token).isNotBlank().hasSizeLessThanOrEqualTo(2048).isEqualTo(h.tokenOf(arn));
        assertThat(incidentSeen.get()).isEqualTo("i-1");

        h.sfn.sendTaskSuccess(token, "{\"approvedBy\":\"ops@example.com\"}");
        ExecutionDescription d = h.await(arn);
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Harness.output(d)).isEqualTo(Harness.json("{\"incident\":\"i-1\",\"approval\":{\"approvedBy\":\"ops@example.com\"}}"));
        assertThat(h.eventTypes(arn)).containsSubsequence("TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded", "TaskStateExited");
    }

    @Test
    void tokens_areUniquePerTask() {
        h.await(h.start("approval", "{\"incident\":\"i-1\"}"));
        String first = tokenSeen.get();
        h.await(h.start("approval", "{\"incident\":\"i-2\"}"));
        assertThat(tokenSeen.get()).isNotEqualTo(first);
    }

    @Test
    void sendTaskFailure_goesThroughCatch() {
        String arn = h.start("approval", "{\"incident\":\"i-1\"}");
        h.await(arn);
        h.sfn.sendTaskFailure(tokenSeen.get(), "Rejected", "not during business hours");
        ExecutionDescription d = h.await(arn);
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Harness.output(d).get("outcome").asText()).isEqualTo("rejected");
        assertThat(Harness.output(d).get("error")).isEqualTo(Harness.json("{\"Error\":\"Rejected\",\"Cause\":\"not during business hours\"}"));
        assertThat(h.eventTypes(arn)).contains("TaskFailed");
    }

    @Test
    void sendTaskFailure_withUncaughtError_failsExecution() {
        String arn = h.start("approval", "{\"incident\":\"i-1\"}");
        h.await(arn);
        h.sfn.sendTaskFailure(tokenSeen.get(), "Boom", "x");
        ExecutionDescription d = h.await(arn);
        assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(d.error()).isEqualTo("Boom");
    }

    @Test
    void timeout_whenNoCallbackArrives_isCaughtAsStatesTimeout_andLateCallbackIsTaskTimedOut() {
        String arn = h.start("approval", "{\"incident\":\"i-1\"}");
        h.await(arn);
        assertThat(h.clock.pendingDelays()).containsExactly(Duration.ofHours(1));
        assertThat(h.advance(arn, Duration.ofMinutes(59)).status()).isEqualTo(ExecutionStatus.RUNNING);
        ExecutionDescription d = h.advance(arn, Duration.ofMinutes(1));
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Harness.output(d).get("outcome").asText()).isEqualTo("escalated");
        assertThat(Harness.output(d).at("/error/Error").asText()).isEqualTo("States.Timeout");
        assertThat(h.eventTypes(arn)).contains("TaskTimedOut");
        assertThatThrownBy(() -> h.sfn.sendTaskSuccess(tokenSeen.get(), "{}")).isInstanceOf(TaskTimedOutException.class);
    }

    @Test
    void callback_beforeTimeout_cancelsTheTimer() {
        String arn = h.start("approval", "{\"incident\":\"i-1\"}");
        h.await(arn);
        h.sfn.sendTaskSuccess(tokenSeen.get(), "{}");
        assertThat(h.await(arn).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(h.clock.pendingTimers()).isEmpty();
    }

    @Test
    void tokenUsedTwice_isTaskDoesNotExist() {
        String arn = h.start("approval", "{\"incident\":\"i-1\"}");
        h.await(arn);
        h.sfn.sendTaskSuccess(tokenSeen.get(), "{}");
        assertThatThrownBy(() -> h.sfn.sendTaskSuccess(tokenSeen.get(), "{}")).isInstanceOf(TaskDoesNotExistException.class);
        assertThatThrownBy(() -> h.sfn.sendTaskFailure(tokenSeen.get(), "E", "c")).isInstanceOf(TaskDoesNotExistException.class);
        assertThat(h.await(arn).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void unknownWellFormedToken_isTaskDoesNotExist() {
        String unknown = "AQ" + "A".repeat(86);
        assertThatThrownBy(() -> h.sfn.sendTaskSuccess(unknown, "{}")).isInstanceOf(TaskDoesNotExistException.class);
    }

    @Test
    void malformedToken_isInvalidToken() {
        assertThatThrownBy(() -> h.sfn.sendTaskSuccess("not-a-token", "{}")).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> h.sfn.sendTaskFailure("", "E", "c")).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> h.sfn.sendTaskSuccess("AQ" + "A".repeat(3000), "{}")).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void sendTaskSuccess_withInvalidJson_isInvalidOutputAndTokenStaysUsable() {
        String arn = h.start("approval", "{\"incident\":\"i-1\"}");
        h.await(arn);
        assertThatThrownBy(() -> h.sfn.sendTaskSuccess(tokenSeen.get(), "{oops")).isInstanceOf(InvalidOutputException.class);
        h.sfn.sendTaskSuccess(tokenSeen.get(), "\"ok\"");
        assertThat(Harness.output(h.await(arn)).get("approval").asText()).isEqualTo("ok");
    }

    @Test
    void callback_fromAnotherThread_resumesExecution() throws Exception {
        String arn = h.start("approval", "{\"incident\":\"i-1\"}");
        h.await(arn);
        CompletableFuture.runAsync(() -> h.sfn.sendTaskSuccess(tokenSeen.get(), "{\"by\":\"thread\"}")).get();
        assertThat(Harness.output(h.await(arn)).at("/approval/by").asText()).isEqualTo("thread");
    }

    @Test
    void callback_sentFromInsideTheHandler_isAccepted() {
        h.sfn.registerHandler("notify-approver", (in, ctx) -> {
            h.sfn.sendTaskSuccess(ctx.taskToken(), "{\"auto\":true}");
            return null;
        });
        ExecutionDescription d = h.run("approval", "{\"incident\":\"i-1\"}");
        assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Harness.output(d).at("/approval/auto").asBoolean()).isTrue();
    }

    @Test
    void callbackHandlerThrowing_failsTheTask() {
        h.sfn.registerHandler("notify-approver", (in, ctx) -> {
            throw new TaskFailedException("Rejected", "mail bounced");
        });
        ExecutionDescription d = h.run("approval", "{\"incident\":\"i-1\"}");
        assertThat(Harness.output(d).get("outcome").asText()).isEqualTo("rejected");
    }
}
