package dev.reflex.adapters.llm;

import java.util.Objects;

/**
 * What a consultation cost: tokens, time and money, for the incident's record and the LLM stats.
 *
 * @param inputTokens input tokens not read from or written to the prompt cache
 * @param latencyMs wall-clock time of the call(s), retries and back-off included
 * @param stopReason why the model stopped ({@code tool_use}, {@code max_tokens}, {@code length},
 *     ...), of the last call when several were made
 * @param costUsd computed from the configured {@link Prices}
 * @param calls how many model calls this usage covers (a rejected answer is asked again once)
 */
public record LlmUsage(
    String modelId,
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheWriteTokens,
    long latencyMs,
    String stopReason,
    double costUsd,
    int calls) {

  public LlmUsage {
    Objects.requireNonNull(modelId, "modelId");
    stopReason = Objects.requireNonNullElse(stopReason, "");
  }

  /** One call's usage. */
  public LlmUsage(String modelId, long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens,
      long latencyMs, String stopReason, double costUsd) {
    this(modelId, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, latencyMs, stopReason, costUsd, 1);
  }

  /** One call's usage, priced. */
  public static LlmUsage of(String modelId, long inputTokens, long outputTokens, long cacheReadTokens,
      long cacheWriteTokens, long latencyMs, String stopReason, Prices prices) {
    return new LlmUsage(modelId, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, latencyMs,
        stopReason, prices.cost(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens), 1);
  }

  /** The usage of this call followed by {@code next}. */
  public LlmUsage plus(LlmUsage next) {
    return new LlmUsage(modelId, inputTokens + next.inputTokens, outputTokens + next.outputTokens,
        cacheReadTokens + next.cacheReadTokens, cacheWriteTokens + next.cacheWriteTokens,
        latencyMs + next.latencyMs, next.stopReason, costUsd + next.costUsd, calls + next.calls);
  }

  public long totalTokens() {
    return inputTokens + outputTokens + cacheReadTokens + cacheWriteTokens;
  }
}
