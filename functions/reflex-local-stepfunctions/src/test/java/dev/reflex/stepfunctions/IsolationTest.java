package dev.reflex.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The runtime keeps payloads as trees, not text: whoever gets one (a reader of the history, a task
 * handler) must not be able to change what the store holds, and a handler's result must reach the
 * next state as its JSON text would.
 */
class IsolationTest {
    static final String ONE_TASK = """
            {"StartAt": "Echo", "States": {"Echo": {
              "Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:echo",
              "ResultPath": "$.result", "End": true}}}""";
    static final String TASK_THEN_WAIT = """
            {"StartAt": "Plan", "States": {
              "Plan": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:plan", "Next": "Pause"},
              "Pause": {"Type": "Wait", "SecondsPath": "$.delay", "End": true}}}""";

    @Test
    void history_whenReaderChangesEventDetails_storedHistoryIsUnchanged() {
        try (Harness h = new Harness().loadText("one", ONE_TASK)) {
            h.sfn.registerHandler("echo", (in, ctx) -> in);
            String arn = h.run("one", "{\"n\":1}").executionArn();
            List<String> before = details(h.sfn.getExecutionHistory(arn));

            for (HistoryEvent e : h.sfn.getExecutionHistory(arn)) {
                ((ObjectNode) e.details()).put("input", "tampered").put("output", "tampered");
            }
            for (HistoryEvent e : h.store.history(arn)) {
                ((ObjectNode) e.details()).removeAll();
            }

            assertThat(details(h.sfn.getExecutionHistory(arn))).isEqualTo(before).noneMatch(d -> d.contains("tampered"));
        }
    }

    @Test
    void handler_whenItChangesItsInput_stateInputAndHistoryAreUnchanged() {
        try (Harness h = new Harness().loadText("one", ONE_TASK)) {
            h.sfn.registerHandler("echo", (in, ctx) -> {
                ((ObjectNode) in).put("n", 99);
                return JsonNodeFactory.instance.textNode("done");
            });
            ExecutionDescription d = h.run("one", "{\"n\":1}");

            assertThat(Harness.output(d)).isEqualTo(Harness.json("{\"n\":1,\"result\":\"done\"}"));
            assertThat(inputOf(h, d, "TaskStateEntered")).isEqualTo("{\"n\":1}");
            assertThat(inputOf(h, d, "LambdaFunctionScheduled")).isEqualTo("{\"n\":1}");
        }
    }

    @Test
    void handler_whenItChangesItsResultAfterReturning_recordedResultIsUnchanged() {
        AtomicReference<ObjectNode> kept = new AtomicReference<>();
        try (Harness h = new Harness().loadText("one", ONE_TASK)) {
            h.sfn.registerHandler("echo", (in, ctx) -> {
                kept.set(JsonNodeFactory.instance.objectNode().put("answer", 42));
                return kept.get();
            });
            ExecutionDescription d = h.run("one", "{\"n\":1}");

            kept.get().put("answer", "changed later");

            assertThat(h.sfn.describeExecution(d.executionArn()).output()).isEqualTo("{\"n\":1,\"result\":{\"answer\":42}}");
            assertThat(h.sfn.getExecutionHistory(d.executionArn()).stream()
                    .filter(e -> e.type().equals("LambdaFunctionSucceeded")).findFirst().orElseThrow()
                    .details().get("output").asText()).isEqualTo("{\"answer\":42}");
        }
    }

    @Test
    void handlerResult_reachesNextStateAsItsJsonText() {
        // 2 as a BigDecimal writes "2", which the next state reads as an integer, so SecondsPath accepts it
        try (Harness h = new Harness().loadText("plan", TASK_THEN_WAIT)) {
            h.sfn.registerHandler("plan", (in, ctx) -> JsonNodeFactory.instance.objectNode().put("delay", new BigDecimal("2")));
            String arn = h.start("plan", "{}");
            assertThat(h.await(arn).status()).isEqualTo(ExecutionStatus.RUNNING);

            assertThat(h.advance(arn, Duration.ofSeconds(2)).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
    }

    private static List<String> details(List<HistoryEvent> events) {
        return events.stream().map(e -> e.type() + " " + e.details()).toList();
    }

    private static String inputOf(Harness h, ExecutionDescription d, String type) {
        JsonNode details = h.sfn.getExecutionHistory(d.executionArn()).stream()
                .filter(e -> e.type().equals(type)).findFirst().orElseThrow().details();
        return details.get("input").asText();
    }
}
