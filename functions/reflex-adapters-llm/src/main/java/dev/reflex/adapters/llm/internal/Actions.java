package dev.reflex.adapters.llm.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.domain.model.StepAction;
import java.util.LinkedHashMap;
import java.util.Map;

/** Domain actions from a schema-valid answer's JSON. */
public final class Actions {

  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
  private static final int MAX_NAME = 120;

  private Actions() {}

  public static StepAction step(JsonNode step) {
    return action(name(step.path("action").asText()), step);
  }

  public static StepAction rollback(JsonNode step) {
    return action(bounded("Roll back: " + name(step.path("action").asText())), step.path("rollback"));
  }

  /** A step's own verification (its post-check), named after the step. */
  public static StepAction stepVerification(JsonNode step) {
    return action(bounded("Check: " + name(step.path("action").asText())), step.path("verification"));
  }

  public static StepAction verification(JsonNode verification) {
    return action("Verify recovery", verification);
  }

  private static StepAction action(String name, JsonNode node) {
    Map<String, Object> args = node.path("args").isObject()
        ? Json.MAPPER.convertValue(node.path("args"), MAP) : Map.of();
    String module = node.path("module").asText("");
    return new StepAction(name, module.isBlank() ? "unknown.unknown.unknown" : module, args);
  }

  private static String name(String text) {
    String clean = text == null ? "" : text.replaceAll("\\p{Cntrl}+", " ").strip();
    return clean.isEmpty() ? "step" : bounded(clean);
  }

  private static String bounded(String text) {
    return text.length() > MAX_NAME ? text.substring(0, MAX_NAME) : text;
  }
}
