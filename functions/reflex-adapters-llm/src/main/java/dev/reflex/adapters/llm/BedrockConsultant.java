package dev.reflex.adapters.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.adapters.llm.ConsultationFailedException.Reason;
import dev.reflex.adapters.llm.internal.ConsultationEngine;
import dev.reflex.adapters.llm.internal.Conversation;
import dev.reflex.adapters.llm.internal.Documents;
import dev.reflex.adapters.llm.internal.ModelTransport;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClientBuilder;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.bedrockruntime.model.SpecificToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultStatus;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * Drafts remediations with a model on Amazon Bedrock through the Converse API. The answer is
 * structured by forcing one tool, {@value PromptTemplate#TOOL_NAME}, whose input schema is
 * {@link RemediationSchema}; {@code stopReason max_tokens} means a truncated answer.
 *
 * <p>Throttling, attempt timeouts and 5xx are retried by the SDK (exponential back-off with full
 * jitter, {@link BedrockConfig#maxAttempts()} attempts within {@link BedrockConfig#apiCallTimeout()});
 * what still fails becomes a {@link ConsultationFailedException}. Its remediations carry the model
 * id as consultant name.
 */
public final class BedrockConsultant implements MeteredConsultant, AutoCloseable {

  public static final String PROVIDER = "bedrock";
  static final Duration BACKOFF_BASE = Duration.ofMillis(200);
  static final Duration BACKOFF_MAX = Duration.ofSeconds(8);
  static final Duration THROTTLING_BACKOFF_BASE = Duration.ofMillis(500);
  static final Duration THROTTLING_BACKOFF_MAX = Duration.ofSeconds(16);

  private final BedrockConfig config;
  private final BedrockRuntimeClient client;
  private final boolean ownsClient;
  private final ConsultationEngine engine;

  /** With a client built by {@link #clientBuilder(BedrockConfig)} and the default credentials chain. */
  public BedrockConsultant(BedrockConfig config) {
    this(config, clientBuilder(config).build(), true);
  }

  /** With a client of the caller's (tests: endpoint override, static credentials); not closed here. */
  public BedrockConsultant(BedrockConfig config, BedrockRuntimeClient client) {
    this(config, client, false);
  }

  private BedrockConsultant(BedrockConfig config, BedrockRuntimeClient client, boolean ownsClient) {
    this.config = Objects.requireNonNull(config, "config");
    this.client = Objects.requireNonNull(client, "client");
    this.ownsClient = ownsClient;
    this.engine = new ConsultationEngine(new Transport(), config.extraPrivacyPatterns());
  }

  /**
   * A client builder with the configuration's region, timeouts and retry strategy: attempts
   * capped at {@code maxAttempts}, exponential back-off with full jitter (longer after
   * throttling), no client-side circuit breaker.
   */
  public static BedrockRuntimeClientBuilder clientBuilder(BedrockConfig config) {
    RetryStrategy retry = AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .maxAttempts(config.maxAttempts())
        .backoffStrategy(BackoffStrategy.exponentialDelay(BACKOFF_BASE, BACKOFF_MAX))
        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(THROTTLING_BACKOFF_BASE, THROTTLING_BACKOFF_MAX))
        .circuitBreakerEnabled(false)
        .build();
    return BedrockRuntimeClient.builder()
        .region(Region.of(config.region()))
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(config.apiCallTimeout()))
        .overrideConfiguration(o -> o.apiCallTimeout(config.apiCallTimeout()).retryStrategy(retry));
  }

  @Override
  public String name() {
    return config.modelId();
  }

  @Override
  public Consultation consultWithUsage(Request request) {
    return engine.consult(request);
  }

  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }

  private final class Transport implements ModelTransport {

    @Override
    public String provider() {
      return PROVIDER;
    }

    @Override
    public String modelId() {
      return config.modelId();
    }

    @Override
    public Reply call(Conversation conversation, String toolName, ObjectNode schema) {
      ConverseRequest request = ConverseRequest.builder()
          .modelId(config.modelId())
          .system(SystemContentBlock.fromText(conversation.system()))
          .messages(messages(conversation))
          .inferenceConfig(c -> c.maxTokens(config.maxTokens()).temperature((float) config.temperature()))
          .toolConfig(ToolConfiguration.builder()
              .tools(Tool.fromToolSpec(ToolSpecification.builder()
                  .name(toolName)
                  .description("Record the diagnosis and the draft remediation playbook.")
                  .inputSchema(ToolInputSchema.fromJson(Documents.toDocument(schema)))
                  .build()))
              .toolChoice(ToolChoice.fromTool(SpecificToolChoice.builder().name(toolName).build()))
              .build())
          .build();
      long started = System.nanoTime();
      ConverseResponse response;
      try {
        response = client.converse(request);
      } catch (SdkException e) {
        throw failure(e);
      }
      long latencyMs = (System.nanoTime() - started) / 1_000_000;
      TokenUsage tokens = response.usage();
      String stopReason = response.stopReasonAsString();
      LlmUsage usage = LlmUsage.of(config.modelId(), count(tokens == null ? null : tokens.inputTokens()),
          count(tokens == null ? null : tokens.outputTokens()),
          count(tokens == null ? null : tokens.cacheReadInputTokens()),
          count(tokens == null ? null : tokens.cacheWriteInputTokens()), latencyMs, stopReason, config.prices());
      ToolUseBlock toolUse = null;
      StringBuilder text = new StringBuilder();
      if (response.output() != null && response.output().message() != null) {
        for (ContentBlock block : response.output().message().content()) {
          if (block.toolUse() != null && toolUse == null && toolName.equals(block.toolUse().name())) {
            toolUse = block.toolUse();
          } else if (block.text() != null) {
            text.append(block.text());
          }
        }
      }
      boolean truncated = response.stopReason() == StopReason.MAX_TOKENS;
      JsonNode input = toolUse == null ? null : Documents.toJson(toolUse.input());
      return new Reply(toolUse == null ? null : toolUse.toolUseId(), input, text.toString(), truncated,
          stopReason, usage, toolUse == null ? "no call of the tool " + toolName : null);
    }

    private static long count(Integer value) {
      return value == null ? 0 : value;
    }

    private static List<Message> messages(Conversation conversation) {
      List<Message> messages = new ArrayList<>();
      List<ContentBlock> content = new ArrayList<>();
      Boolean fromUser = null;
      for (Conversation.Turn turn : conversation.turns()) {
        if (fromUser != null && fromUser != turn.fromUser()) {
          messages.add(message(fromUser, content));
          content = new ArrayList<>();
        }
        fromUser = turn.fromUser();
        content.add(switch (turn) {
          case Conversation.UserText t -> ContentBlock.fromText(t.text());
          case Conversation.AssistantText t -> ContentBlock.fromText(t.text());
          case Conversation.AssistantToolCall t -> ContentBlock.fromToolUse(ToolUseBlock.builder()
              .toolUseId(t.id()).name(PromptTemplate.TOOL_NAME).input(Documents.toDocument(t.input())).build());
          case Conversation.ToolFeedback t -> ContentBlock.fromToolResult(ToolResultBlock.builder()
              .toolUseId(t.id()).status(ToolResultStatus.ERROR)
              .content(ToolResultContentBlock.fromText(t.text())).build());
        });
      }
      if (fromUser != null) {
        messages.add(message(fromUser, content));
      }
      return messages;
    }

    private static Message message(boolean fromUser, List<ContentBlock> content) {
      return Message.builder().role(fromUser ? ConversationRole.USER : ConversationRole.ASSISTANT)
          .content(content).build();
    }

    private static ConsultationFailedException failure(SdkException e) {
      Reason reason;
      String detail;
      if (e instanceof ThrottlingException || e instanceof ServiceQuotaExceededException) {
        reason = Reason.THROTTLED;
        detail = e.getClass().getSimpleName();
      } else if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException
          || e instanceof ModelTimeoutException || causedByTimeout(e)) {
        reason = Reason.TIMED_OUT;
        detail = e.getClass().getSimpleName();
      } else if (e instanceof AwsServiceException service) {
        int status = service.statusCode();
        reason = status == 429 ? Reason.THROTTLED : status >= 500 ? Reason.UNAVAILABLE : Reason.REQUEST_REJECTED;
        detail = "HTTP " + status + (service.awsErrorDetails() == null ? ""
            : " " + service.awsErrorDetails().errorCode());
      } else {
        reason = Reason.UNAVAILABLE;
        detail = e.getClass().getSimpleName();
      }
      ConsultationFailedException failure = new ConsultationFailedException(PROVIDER, reason, List.of(detail), null);
      failure.initCause(e);
      return failure;
    }

    private static boolean causedByTimeout(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof SocketTimeoutException || t instanceof java.net.http.HttpTimeoutException) {
          return true;
        }
      }
      return false;
    }
  }
}
