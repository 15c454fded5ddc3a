package dev.reflex.adapters.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.adapters.llm.ConsultationFailedException.Reason;
import dev.reflex.adapters.llm.internal.Backoff;
import dev.reflex.adapters.llm.internal.ConsultationEngine;
import dev.reflex.adapters.llm.internal.Conversation;
import dev.reflex.adapters.llm.internal.Json;
import dev.reflex.adapters.llm.internal.ModelTransport;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Drafts remediations with any OpenAI-compatible chat completions endpoint (Ollama, vLLM, ...):
 * {@code POST {baseUrl}/v1/chat/completions} with one function tool whose parameters are
 * {@link RemediationSchema}, forced by {@code tool_choice}. {@code finish_reason length} means a
 * truncated answer. Same validation, retry, privacy and usage accounting as {@link
 * BedrockConsultant}; 429, 408, 5xx, timeouts and connection failures are retried with exponential
 * back-off and full jitter ({@code Retry-After} honoured up to the cap).
 *
 * <p>The API key, if any, is read from its supplier for each request and only ever put in the
 * {@code Authorization} header.
 */
public final class OpenAiCompatibleConsultant implements MeteredConsultant {

  public static final String PROVIDER = "openai_compatible";
  static final Backoff BACKOFF = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(8));

  private final OpenAiCompatibleConfig config;
  private final Supplier<String> apiKey;
  private final HttpClient http;
  private final ConsultationEngine engine;

  /** Without an API key (a local Ollama). */
  public OpenAiCompatibleConsultant(OpenAiCompatibleConfig config) {
    this(config, () -> null);
  }

  /**
   * @param apiKey supplies the bearer key for each request; {@code null} or blank sends none
   */
  public OpenAiCompatibleConsultant(OpenAiCompatibleConfig config, Supplier<String> apiKey) {
    this.config = Objects.requireNonNull(config, "config");
    this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    this.engine = new ConsultationEngine(new Transport(), config.extraPrivacyPatterns());
  }

  @Override
  public String name() {
    return config.model();
  }

  @Override
  public Consultation consultWithUsage(Request request) {
    return engine.consult(request);
  }

  private final class Transport implements ModelTransport {

    @Override
    public String provider() {
      return PROVIDER;
    }

    @Override
    public String modelId() {
      return config.model();
    }

    @Override
    public Reply call(Conversation conversation, String toolName, ObjectNode schema) {
      String body = Json.write(requestBody(conversation, toolName, schema));
      long started = System.nanoTime();
      HttpResponse<String> response = send(body);
      long latencyMs = (System.nanoTime() - started) / 1_000_000;
      JsonNode json;
      try {
        json = Json.parse(response.body());
      } catch (IllegalArgumentException e) {
        throw new ConsultationFailedException(PROVIDER, Reason.UNAVAILABLE, List.of("response is not JSON"), null);
      }
      JsonNode choice = json.path("choices").path(0);
      String finishReason = choice.path("finish_reason").asText("");
      JsonNode usageNode = json.path("usage");
      long cached = usageNode.path("prompt_tokens_details").path("cached_tokens").asLong(0);
      long prompt = usageNode.path("prompt_tokens").asLong(0);
      LlmUsage usage = LlmUsage.of(config.model(), Math.max(0, prompt - cached),
          usageNode.path("completion_tokens").asLong(0), cached, 0, latencyMs, finishReason, config.prices());
      JsonNode message = choice.path("message");
      String text = message.path("content").isTextual() ? message.path("content").asText() : "";
      JsonNode call = toolCall(message.path("tool_calls"), toolName);
      boolean truncated = finishReason.equals("length");
      if (call == null) {
        // servers that ignore tool_choice sometimes answer with the JSON as text
        JsonNode fromText = lenientJson(text);
        return new Reply(null, fromText, text, truncated, finishReason, usage,
            fromText == null ? "no call of the tool " + toolName : null);
      }
      String id = call.path("id").asText("call_1");
      JsonNode arguments = call.path("function").path("arguments");
      if (arguments.isObject()) {
        return new Reply(id, arguments, text, truncated, finishReason, usage, null);
      }
      try {
        return new Reply(id, Json.parse(arguments.asText("")), text, truncated, finishReason, usage, null);
      } catch (IllegalArgumentException e) {
        return new Reply(null, null, text, truncated, finishReason, usage, "the tool call arguments are not valid JSON");
      }
    }

    private ObjectNode requestBody(Conversation conversation, String toolName, ObjectNode schema) {
      ObjectNode body = Json.MAPPER.createObjectNode();
      body.put("model", config.model());
      ArrayNode messages = body.putArray("messages");
      messages.addObject().put("role", "system").put("content", conversation.system());
      for (Conversation.Turn turn : conversation.turns()) {
        ObjectNode m = messages.addObject();
        switch (turn) {
          case Conversation.UserText t -> m.put("role", "user").put("content", t.text());
          case Conversation.AssistantText t -> m.put("role", "assistant").put("content", t.text());
          case Conversation.AssistantToolCall t -> {
            m.put("role", "assistant").putNull("content");
            ObjectNode call = m.putArray("tool_calls").addObject().put("id", t.id()).put("type", "function");
            call.putObject("function").put("name", toolName).put("arguments", Json.write(t.input()));
          }
          case Conversation.ToolFeedback t -> m.put("role", "tool").put("tool_call_id", t.id()).put("content", t.text());
        }
      }
      ObjectNode function = body.putArray("tools").addObject().put("type", "function").putObject("function");
      function.put("name", toolName);
      function.put("description", "Record the diagnosis and the draft remediation playbook.");
      function.set("parameters", schema);
      body.putObject("tool_choice").put("type", "function").putObject("function").put("name", toolName);
      body.put("max_tokens", config.maxTokens());
      body.put("temperature", config.temperature());
      return body;
    }

    private HttpResponse<String> send(String body) {
      Reason lastReason = Reason.UNAVAILABLE;
      String lastDetail = "";
      for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
        HttpRequest.Builder request = HttpRequest.newBuilder(config.completionsUri())
            .timeout(config.requestTimeout())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        String key = apiKey.get();
        if (key != null && !key.isBlank()) {
          request.header("Authorization", "Bearer " + key.strip());
        }
        Duration wait;
        try {
          HttpResponse<String> response = http.send(request.build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
          int status = response.statusCode();
          if (status >= 200 && status < 300) {
            return response;
          }
          lastDetail = "HTTP " + status;
          if (status == 429) {
            lastReason = Reason.THROTTLED;
          } else if (status == 408 || status == 504) {
            lastReason = Reason.TIMED_OUT;
          } else if (status >= 500) {
            lastReason = Reason.UNAVAILABLE;
          } else {
            throw new ConsultationFailedException(PROVIDER, Reason.REQUEST_REJECTED, List.of(lastDetail), null);
          }
          wait = BACKOFF.serverDelay(response.headers().firstValue("Retry-After").orElse(null), attempt);
        } catch (HttpTimeoutException e) {
          lastReason = Reason.TIMED_OUT;
          lastDetail = e.getClass().getSimpleName();
          wait = BACKOFF.delay(attempt);
        } catch (IOException e) {
          lastReason = Reason.UNAVAILABLE;
          lastDetail = e.getClass().getSimpleName();
          wait = BACKOFF.delay(attempt);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ConsultationFailedException(PROVIDER, Reason.UNAVAILABLE, List.of("interrupted"), null);
        }
        if (attempt < config.maxAttempts()) {
          sleep(wait);
        }
      }
      throw new ConsultationFailedException(PROVIDER, lastReason,
          List.of(lastDetail + " after " + config.maxAttempts() + " attempt(s)"), null);
    }

    private static JsonNode toolCall(JsonNode calls, String toolName) {
      for (JsonNode call : calls) {
        if (toolName.equals(call.path("function").path("name").asText())) {
          return call;
        }
      }
      return null;
    }

    private static JsonNode lenientJson(String text) {
      String stripped = text.strip().replaceAll("^```(?:json)?\\s*|\\s*```$", "");
      if (!stripped.startsWith("{")) {
        return null;
      }
      try {
        JsonNode node = Json.parse(stripped);
        return node.isObject() ? node : null;
      } catch (IllegalArgumentException e) {
        return null;
      }
    }

    private static void sleep(Duration wait) {
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConsultationFailedException(PROVIDER, Reason.UNAVAILABLE, List.of("interrupted"), null);
      }
    }
  }
}
