package dev.reflex.adapters.llm;

/**
 * What a model costs, in US dollars per million tokens. Configuration: prices change and differ
 * by region and model, so nothing here is authoritative.
 */
public record Prices(double inputPerMTok, double outputPerMTok, double cacheReadPerMTok, double cacheWritePerMTok) {

  /** For models that cost nothing per call (a local Ollama), or when cost is not tracked. */
  public static final Prices FREE = new Prices(0, 0, 0, 0);

  /**
   * Claude Sonnet 4.5 on-demand list prices on Bedrock at the time of writing (input 3, output
   * 15, cache read 0.30, cache write 3.75); check the current price list before relying on them.
   */
  public static final Prices CLAUDE_SONNET_4_5 = new Prices(3.00, 15.00, 0.30, 3.75);

  public Prices {
    for (double price : new double[] {inputPerMTok, outputPerMTok, cacheReadPerMTok, cacheWritePerMTok}) {
      if (!(price >= 0) || Double.isInfinite(price)) {
        throw new IllegalArgumentException("prices must be finite and not negative");
      }
    }
  }

  /** The cost of one call's tokens, in US dollars. */
  public double cost(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
    return (inputTokens * inputPerMTok + outputTokens * outputPerMTok + cacheReadTokens * cacheReadPerMTok
        + cacheWriteTokens * cacheWritePerMTok) / 1_000_000.0;
  }
}
