package dev.reflex.adapters.llm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.adapters.llm.ConsultationFailedException;
import dev.reflex.adapters.llm.LlmUsage;

/** One provider's wire protocol: sends a conversation forcing one tool, returns what came back. */
public interface ModelTransport {

  /** {@code bedrock}, {@code openai_compatible}: used in failure reasons. */
  String provider();

  String modelId();

  /**
   * Calls the model once (the provider's retries on throttling, timeouts and 5xx included).
   *
   * @throws ConsultationFailedException when no answer came back
   */
  Reply call(Conversation conversation, String toolName, ObjectNode schema);

  /**
   * What the model answered.
   *
   * @param toolCallId the id of the tool call, {@code null} when there was none
   * @param toolInput the tool's input, {@code null} when there was no (parseable) tool call
   * @param text any prose the model wrote beside it
   * @param problem why the tool input could not be read, or {@code null}
   */
  record Reply(String toolCallId, JsonNode toolInput, String text, boolean truncated, String stopReason,
      LlmUsage usage, String problem) {}
}
