package dev.reflex.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TaskTest {

    @Test
    void lambdaInvoke_whenHandlerReturns_resultIsShapedLikeAwsAndSelected() {
        try (Harness h = new Harness().load("diag", "lambda-invoke.asl.json")) {
            h.sfn.registerHandler("diagnose", (in, ctx) -> Harness.json("{\"diagnosis\":\"disk full on " + in.get("alert").asText() + "\"}"));
            ExecutionDescription d = h.run("diag", "{\"alert\":\"web-1\"}");
            assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(Harness.output(d)).isEqualTo(Harness.json(
                    "{\"alert\":\"web-1\",\"result\":{\"diagnosis\":\"disk full on web-1\",\"status\":200}}"));
            JsonNode succeeded = h.sfn.getExecutionHistory(d.executionArn()).stream()
                    .filter(e -> e.type().equals("TaskSucceeded")).findFirst().orElseThrow().details();
            assertThat(Harness.json(succeeded.get("output").asText())).isEqualTo(Harness.json(
                    "{\"ExecutedVersion\":\"$LATEST\",\"Payload\":{\"diagnosis\":\"disk full on web-1\"},\"StatusCode\":200}"));
            assertThat(h.eventTypes(d.executionArn())).containsSubsequence("TaskScheduled", "TaskStarted", "TaskSucceeded");
        }
    }

    @Test
    void lambdaInvoke_payloadSeesContextObject() {
        try (Harness h = new Harness().load("diag", "lambda-invoke.asl.json")) {
            h.sfn.registerHandler("diagnose", (in, ctx) -> Harness.json("{\"diagnosis\":\"" + in.get("attempt") + "|" + ctx.stateName() + "\"}"));
            ExecutionDescription d = h.run("diag", "{\"alert\":\"x\"}");
            assertThat(Harness.output(d).at("/result/diagnosis").asText()).isEqualTo("0|Diagnose");
        }
    }

    @Test
    void unknownHandler_failsTaskWithLambdaResourceNotFound() {
        try (Harness h = new Harness().load("diag", "lambda-invoke.asl.json")) {
            ExecutionDescription d = h.run("diag", "{\"alert\":\"x\"}");
            assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(d.error()).isEqualTo("Lambda.ResourceNotFoundException");
            assertThat(d.cause()).contains("function:diagnose");
        }
    }

    @Test
    void handlerException_surfacesAsFullyQualifiedClassNameAndMessage() {
        try (Harness h = new Harness().load("diag", "lambda-invoke.asl.json")) {
            h.sfn.registerHandler("diagnose", (in, ctx) -> {
                throw new IllegalStateException("no route to host");
            });
            ExecutionDescription d = h.run("diag", "{\"alert\":\"x\"}");
            assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(d.error()).isEqualTo("java.lang.IllegalStateException");
            assertThat(d.cause()).isEqualTo("no route to host");
            assertThat(h.eventTypes(d.executionArn())).containsSubsequence("TaskFailed", "ExecutionFailed");
        }
    }

    @Test
    void taskFailedException_setsErrorAndCauseExplicitly() {
        try (Harness h = new Harness().load("diag", "lambda-invoke.asl.json")) {
            h.sfn.registerHandler("diagnose", (in, ctx) -> {
                throw new TaskFailedException("Reflex.PlaybookNotFound", "no playbook for signature s-1");
            });
            ExecutionDescription d = h.run("diag", "{\"alert\":\"x\"}");
            assertThat(d.error()).isEqualTo("Reflex.PlaybookNotFound");
            assertThat(d.cause()).isEqualTo("no playbook for signature s-1");
        }
    }

    @Test
    void timeoutSeconds_whenHandlerRunsTooLong_failsWithStatesTimeoutWhichTaskFailedDoesNotRetry() throws Exception {
        try (Harness h = new Harness().load("slow", "task-timeout.asl.json")) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch interrupted = new CountDownLatch(1);
            AtomicInteger calls = new AtomicInteger();
            h.sfn.registerHandler("slow", (in, ctx) -> {
                calls.incrementAndGet();
                started.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
                return in;
            });
            String arn = h.start("slow", "{\"k\":1}");
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            h.clock.advance(Duration.ofSeconds(29));
            assertThat(h.sfn.describeExecution(arn).status()).isEqualTo(ExecutionStatus.RUNNING);
            ExecutionDescription d = h.advance(arn, Duration.ofSeconds(1));
            assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(Harness.output(d).at("/timeout/Error").asText()).isEqualTo("States.Timeout");
            assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(calls).hasValue(1);
            assertThat(h.eventTypes(arn)).contains("LambdaFunctionTimedOut");
        }
    }

    @Test
    void dataLimit_whenHandlerResultExceeds256KiB_failsWithDataLimitExceeded() {
        try (Harness h = new Harness()) {
            h.loadText("big", """
                    {"StartAt":"Produce","States":{"Produce":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-1:123456789012:function:big",
                      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},"Caught":{"Type":"Succeed"}}}""");
            h.sfn.registerHandler("big", (in, ctx) -> Harness.JSON.getNodeFactory().textNode("x".repeat(262_144)));
            ExecutionDescription d = h.run("big", "{}");
            assertThat(d.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(d.error()).isEqualTo("States.DataLimitExceeded");
        }
    }

    @Test
    void dataLimit_whenResultIsJustBelowTheCap_passes() {
        try (Harness h = new Harness()) {
            h.loadText("big", """
                    {"StartAt":"Produce","States":{"Produce":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-1:123456789012:function:big","ResultPath":null,"End":true}}}""");
            h.sfn.registerHandler("big", (in, ctx) -> Harness.JSON.getNodeFactory().textNode("x".repeat(262_142)));
            assertThat(h.run("big", "{}").status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
    }

    @Test
    void substitutions_fillPlaceholdersBeforeParsing() {
        try (Harness h = new Harness()) {
            h.sfn.loadStateMachine("hello", Harness.asl("hello-task.asl.json"),
                    Map.of("GreetFunctionArn", "arn:aws:lambda:eu-west-1:123456789012:function:other-greeter"));
            h.sfn.registerHandler("other-greeter", (in, ctx) -> Harness.json("{\"text\":\"hi\"}"));
            assertThat(Harness.output(h.run("hello", "{\"person\":{\"name\":\"A\"}}")).get("text").asText()).isEqualTo("hi");
        }
    }

    @Test
    void startExecution_withDuplicateName_throwsExecutionAlreadyExists() {
        try (Harness h = new Harness().load("wait", "wait.asl.json")) {
            String arn = h.sfn.startExecution("wait", "incident-42", "{}");
            assertThat(arn).isEqualTo("arn:aws:states:local:000000000000:execution:wait:incident-42");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.sfn.startExecution("wait", "incident-42", "{}"))
                    .isInstanceOf(ExecutionAlreadyExistsException.class);
        }
    }

    @Test
    void unknownMachineOrExecution_throwDedicatedExceptions() {
        try (Harness h = new Harness()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.sfn.startExecution("nope", null, "{}"))
                    .isInstanceOf(StateMachineDoesNotExistException.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.sfn.describeExecution("arn:aws:states:local:000000000000:execution:a:b"))
                    .isInstanceOf(ExecutionDoesNotExistException.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.sfn.getExecutionHistory("arn:aws:states:local:000000000000:execution:a:b"))
                    .isInstanceOf(ExecutionDoesNotExistException.class);
        }
    }

    @Test
    void startExecution_withInvalidInput_throwsInvalidExecutionInput() {
        try (Harness h = new Harness().load("wait", "wait.asl.json")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.sfn.startExecution("wait", null, "{not json"))
                    .isInstanceOf(InvalidExecutionInputException.class);
        }
    }

    @Test
    void executionTimeout_whenTopLevelTimeoutPasses_endsTimedOut() {
        try (Harness h = new Harness().load("slow", "execution-timeout.asl.json")) {
            String arn = h.start("slow", "{}");
            assertThat(h.await(arn).status()).isEqualTo(ExecutionStatus.RUNNING);
            ExecutionDescription d = h.advance(arn, Duration.ofSeconds(60));
            assertThat(d.status()).isEqualTo(ExecutionStatus.TIMED_OUT);
            assertThat(h.eventTypes(arn)).endsWith("ExecutionTimedOut");
            h.clock.advance(Duration.ofSeconds(600));
            assertThat(h.await(arn).status()).isEqualTo(ExecutionStatus.TIMED_OUT);
        }
    }
}
