package dev.reflex.adapters.llm;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How {@link OpenAiCompatibleConsultant} calls an OpenAI-compatible chat completions endpoint
 * (Ollama, vLLM, LiteLLM, ...).
 *
 * @param baseUrl the server, without {@code /v1}: {@code http://localhost:11434}
 * @param model the model name the server knows, recorded as the consultant name
 * @param requestTimeout the budget of one HTTP attempt
 * @param maxAttempts attempts per call on 429, 408, 5xx, timeouts and connection failures
 * @param extraPrivacyPatterns anonymised as {@code <PRIVATE_n>} on top of the built-in rules
 */
public record OpenAiCompatibleConfig(
    URI baseUrl,
    String model,
    int maxTokens,
    double temperature,
    Duration requestTimeout,
    int maxAttempts,
    Prices prices,
    List<Pattern> extraPrivacyPatterns) {

  public OpenAiCompatibleConfig {
    Objects.requireNonNull(baseUrl, "baseUrl");
    if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
      throw new IllegalArgumentException("openai-compatible base url must be http or https: " + baseUrl);
    }
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("openai-compatible model is required");
    }
    if (maxTokens < 256 || maxTokens > 64_000) {
      throw new IllegalArgumentException("openai-compatible max tokens must be between 256 and 64000: " + maxTokens);
    }
    if (!(temperature >= 0 && temperature <= 2)) {
      throw new IllegalArgumentException("openai-compatible temperature must be between 0 and 2: " + temperature);
    }
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("openai-compatible request timeout must be positive");
    }
    if (maxAttempts < 1 || maxAttempts > 10) {
      throw new IllegalArgumentException("openai-compatible max attempts must be between 1 and 10: " + maxAttempts);
    }
    Objects.requireNonNull(prices, "prices");
    extraPrivacyPatterns = List.copyOf(Objects.requireNonNullElse(extraPrivacyPatterns, List.of()));
  }

  /** The chat completions endpoint: {@code {baseUrl}/v1/chat/completions}. */
  public URI completionsUri() {
    String base = baseUrl.toString().replaceAll("/+$", "");
    return URI.create(base + "/v1/chat/completions");
  }
}
