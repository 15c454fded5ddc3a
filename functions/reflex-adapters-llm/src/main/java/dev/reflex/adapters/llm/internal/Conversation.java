package dev.reflex.adapters.llm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What is sent to a model: a system text and the turns so far, all anonymised. */
public record Conversation(String system, List<Turn> turns) {

  public Conversation {
    Objects.requireNonNull(system, "system");
    turns = List.copyOf(turns);
  }

  public Conversation with(Turn... more) {
    List<Turn> all = new ArrayList<>(turns);
    all.addAll(List.of(more));
    return new Conversation(system, all);
  }

  /** One turn; consecutive turns of the same role are sent as one message where a provider needs it. */
  public sealed interface Turn {
    boolean fromUser();
  }

  public record UserText(String text) implements Turn {
    public boolean fromUser() {
      return true;
    }
  }

  /** The model's tool call, echoed back so that the feedback can answer it. */
  public record AssistantToolCall(String id, JsonNode input) implements Turn {
    public boolean fromUser() {
      return false;
    }
  }

  public record AssistantText(String text) implements Turn {
    public boolean fromUser() {
      return false;
    }
  }

  /** Reflex's answer to a tool call: the errors that made it unacceptable. */
  public record ToolFeedback(String id, String text) implements Turn {
    public boolean fromUser() {
      return true;
    }
  }
}
