package dev.reflex.adapters.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageAndConfigTest {

  @Test
  void cost_isTokensTimesPricePerMillion() {
    LlmUsage usage = LlmUsage.of("m", 3_000, 600, 10_000, 2_000, 4_000, "tool_use", Prices.CLAUDE_SONNET_4_5);

    // 3000*3 + 600*15 + 10000*0.30 + 2000*3.75 = 9000 + 9000 + 3000 + 7500 = 28500 per 1M
    assertThat(usage.costUsd()).isCloseTo(0.0285, within(1e-9));
    assertThat(usage.totalTokens()).isEqualTo(15_600);
  }

  @Test
  void plus_addsCallsAndKeepsTheLastStopReason() {
    LlmUsage first = LlmUsage.of("m", 100, 50, 0, 0, 1000, "max_tokens", Prices.CLAUDE_SONNET_4_5);
    LlmUsage second = LlmUsage.of("m", 200, 60, 0, 0, 900, "tool_use", Prices.CLAUDE_SONNET_4_5);

    LlmUsage total = first.plus(second);

    assertThat(total.calls()).isEqualTo(2);
    assertThat(total.inputTokens()).isEqualTo(300);
    assertThat(total.latencyMs()).isEqualTo(1900);
    assertThat(total.stopReason()).isEqualTo("tool_use");
    assertThat(total.costUsd()).isCloseTo(first.costUsd() + second.costUsd(), within(1e-12));
  }

  @Test
  void prices_whenNegative_areRefused() {
    assertThatThrownBy(() -> new Prices(-1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bedrockConfig_validatesItsValues() {
    assertThat(BedrockConfig.defaults("us-east-1").modelId()).isEqualTo("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    assertThatThrownBy(() -> new BedrockConfig("", "us-east-1", 4096, 0.2, Duration.ofSeconds(1), 3,
        Prices.FREE, List.of())).hasMessageContaining("model id");
    assertThatThrownBy(() -> new BedrockConfig("m", "us-east-1", 4096, 1.5, Duration.ofSeconds(1), 3,
        Prices.FREE, List.of())).hasMessageContaining("temperature");
    assertThatThrownBy(() -> new BedrockConfig("m", "us-east-1", 4096, 0.2, Duration.ZERO, 3,
        Prices.FREE, List.of())).hasMessageContaining("timeout");
    assertThatThrownBy(() -> new BedrockConfig("m", "us-east-1", 4096, 0.2, Duration.ofSeconds(1), 0,
        Prices.FREE, List.of())).hasMessageContaining("attempts");
  }

  @Test
  void openAiConfig_buildsTheCompletionsUri_andRefusesOtherSchemes() {
    OpenAiCompatibleConfig config = new OpenAiCompatibleConfig(URI.create("http://localhost:11434/"), "llama3.1",
        2048, 0.2, Duration.ofSeconds(30), 3, Prices.FREE, null);

    assertThat(config.completionsUri()).isEqualTo(URI.create("http://localhost:11434/v1/chat/completions"));
    assertThatThrownBy(() -> new OpenAiCompatibleConfig(URI.create("file:///etc/passwd"), "m", 2048, 0.2,
        Duration.ofSeconds(30), 3, Prices.FREE, null)).hasMessageContaining("http or https");
  }
}
