package dev.reflex.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ScaleTest {

    @Test
    void tenThousandExecutions_waitOnTokens_withoutAThreadEach() {
        int n = 10_000;
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        try (Harness h = new Harness()) {
            h.sfn.loadStateMachine("approval", Harness.asl("approval-callback.asl.json"), CallbackTest.SUBS);
            Map<String, String> tokens = new ConcurrentHashMap<>();
            h.sfn.registerHandler("notify-approver", (in, ctx) -> {
                tokens.put(ctx.executionArn(), ctx.taskToken());
                return null;
            });
            List<String> arns = new ArrayList<>(n);
            for (int i = 0; i < n; i++) arns.add(h.sfn.startExecution("approval", "e" + i, "{\"incident\":\"i-" + i + "\"}"));
            for (String arn : arns) assertThat(h.sfn.awaitQuiescent(arn, Duration.ofSeconds(60)).status()).isEqualTo(ExecutionStatus.RUNNING);

            assertThat(tokens).hasSize(n);
            assertThat(h.clock.pendingTimers()).hasSize(n);
            int platformThreads = ManagementFactory.getThreadMXBean().getThreadCount();
            assertThat(platformThreads - threadsBefore).isLessThan(50);

            for (String arn : arns) h.sfn.sendTaskSuccess(tokens.get(arn), "{\"ok\":true}");
            for (String arn : arns) assertThat(h.sfn.awaitQuiescent(arn, Duration.ofSeconds(60)).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(h.clock.pendingTimers()).isEmpty();
        }
    }
}
