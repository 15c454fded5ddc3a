package dev.reflex.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryTest {
    @Test
    void lambdaArnTask_recordsAwsEventSequence_andResultLandsAtResultPath() {
        try (Harness h = new Harness()) {
            h.sfn.loadStateMachine("hello", Harness.asl("hello-task.asl.json"),
                    Map.of("GreetFunctionArn", "arn:aws:lambda:eu-west-1:123456789012:function:greet:live"));
            h.sfn.registerHandler("greet", (in, ctx) -> Harness.json("{\"text\":\"" + in.get("greeting").asText() + ", " + in.get("name").asText() + "\"}"));
            ExecutionDescription d = h.run("hello", "{\"person\":{\"name\":\"Ada\"}}");
            assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(Harness.output(d)).isEqualTo(Harness.json("{\"text\":\"Hello, Ada\"}"));
            assertThat(h.eventTypes(d.executionArn())).containsExactly("ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled",
                    "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited", "ChoiceStateEntered", "ChoiceStateExited",
                    "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded");
        }
    }
}
