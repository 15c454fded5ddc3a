package dev.reflex.adapters.llm;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How {@link BedrockConsultant} calls Bedrock.
 *
 * @param modelId an inference profile id for on-demand calls, e.g.
 *     {@code us.anthropic.claude-sonnet-4-5-20250929-v1:0}
 * @param apiCallTimeout the budget of one call, SDK retries included
 * @param maxAttempts attempts per call on throttling, timeouts of an attempt and 5xx (1 = no retry)
 * @param extraPrivacyPatterns anonymised as {@code <PRIVATE_n>} on top of the built-in rules
 */
public record BedrockConfig(
    String modelId,
    String region,
    int maxTokens,
    double temperature,
    Duration apiCallTimeout,
    int maxAttempts,
    Prices prices,
    List<Pattern> extraPrivacyPatterns) {

  public static final String DEFAULT_MODEL_ID = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

  public BedrockConfig {
    if (modelId == null || modelId.isBlank()) {
      throw new IllegalArgumentException("bedrock model id is required");
    }
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException("bedrock region is required");
    }
    if (maxTokens < 256 || maxTokens > 64_000) {
      throw new IllegalArgumentException("bedrock max tokens must be between 256 and 64000: " + maxTokens);
    }
    if (!(temperature >= 0 && temperature <= 1)) {
      throw new IllegalArgumentException("bedrock temperature must be between 0 and 1: " + temperature);
    }
    Objects.requireNonNull(apiCallTimeout, "apiCallTimeout");
    if (apiCallTimeout.isNegative() || apiCallTimeout.isZero()) {
      throw new IllegalArgumentException("bedrock api call timeout must be positive");
    }
    if (maxAttempts < 1 || maxAttempts > 10) {
      throw new IllegalArgumentException("bedrock max attempts must be between 1 and 10: " + maxAttempts);
    }
    Objects.requireNonNull(prices, "prices");
    extraPrivacyPatterns = List.copyOf(Objects.requireNonNullElse(extraPrivacyPatterns, List.of()));
  }

  /** Sonnet 4.5 in {@code region}: 4096 output tokens, temperature 0.2, 90 s, 4 attempts. */
  public static BedrockConfig defaults(String region) {
    return new BedrockConfig(DEFAULT_MODEL_ID, region, 4096, 0.2, Duration.ofSeconds(90), 4,
        Prices.CLAUDE_SONNET_4_5, List.of());
  }
}
