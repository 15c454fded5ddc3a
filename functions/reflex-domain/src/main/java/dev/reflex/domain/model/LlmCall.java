package dev.reflex.domain.model;

import java.util.Objects;

/**
 * What the language-model calls of one consultation cost: tokens, time and money. The domain's
 * mirror of the adapters' usage record, so that cost accounting needs no model library.
 *
 * @param inputTokens input tokens not read from or written to the prompt cache
 * @param latencyMs wall-clock time of the call(s), retries and back-off included
 * @param stopReason why the model stopped ({@code tool_use}, {@code max_tokens}, ...), of the last call
 * @param costUsd computed from the configured prices
 * @param calls how many model calls this covers (a rejected answer is asked again once)
 */
public record LlmCall(
    String modelId,
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheWriteTokens,
    long latencyMs,
    String stopReason,
    double costUsd,
    int calls) {

  public LlmCall {
    Objects.requireNonNull(modelId, "modelId");
    stopReason = Objects.requireNonNullElse(stopReason, "");
    if (inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0 || latencyMs < 0
        || calls < 0) {
      throw new IllegalArgumentException("token counts, latency and calls cannot be negative");
    }
    if (!(costUsd >= 0) || Double.isInfinite(costUsd)) {
      throw new IllegalArgumentException("cost must be finite and not negative: " + costUsd);
    }
  }

  public long totalTokens() {
    return inputTokens + outputTokens + cacheReadTokens + cacheWriteTokens;
  }
}
