package dev.reflex.stepfunctions.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How an execution ended, in the terms both implementations share: status, output, error name.
 * The cause is kept for messages only: it is free text that each implementation may word its own way
 * for the runtime's own errors (States.Runtime, States.NoChoiceMatched, ...).
 *
 * @param status {@code SUCCEEDED} or {@code FAILED}
 * @param output the execution output (SUCCEEDED only), already {@linkplain #normalise normalised}
 */
record Outcome(String status, JsonNode output, String error, String cause) {
    static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * States.UUID is random in both implementations, so any string shaped like a version-4 UUID is
     * replaced with {@code <uuid>} before comparing. No other normalisation is applied: the corpus uses
     * no timestamps or execution ids in outputs, so everything else must match exactly.
     */
    private static final Pattern UUID_V4 =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

    /** Numbers compare by value (17 equals 17.0): the two sides parse JSON with different number types. */
    private static final Comparator<JsonNode> NUMERIC_AWARE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    static Outcome succeeded(JsonNode output) {
        return new Outcome("SUCCEEDED", normalise(output), null, null);
    }

    static Outcome failed(String error, String cause) {
        return new Outcome("FAILED", null, error, cause);
    }

    /** Reads {@code {"status":..., "output":..., "error":..., "cause":...}} (runner output or expected.json). */
    static Outcome fromJson(JsonNode json) {
        String status = json.path("status").asText();
        return switch (status) {
            case "SUCCEEDED" -> succeeded(json.get("output"));
            case "FAILED" -> failed(json.path("error").asText(null), json.path("cause").asText(null));
            default -> new Outcome(status, null, json.path("error").asText(null), json.path("cause").asText(null));
        };
    }

    /** Same status, deep-equal output, same error name. */
    boolean agreesWith(Outcome other) {
        if (!status.equals(other.status)) {
            return false;
        }
        if ("SUCCEEDED".equals(status)) {
            return output.equals(NUMERIC_AWARE, other.output);
        }
        return java.util.Objects.equals(error, other.error);
    }

    @Override
    public String toString() {
        return "SUCCEEDED".equals(status)
                ? status + " " + output
                : status + " error=" + error + " cause=" + cause;
    }

    static JsonNode normalise(JsonNode node) {
        if (node == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (node.isTextual()) {
            return JsonNodeFactory.instance.textNode(UUID_V4.matcher(node.asText()).replaceAll("<uuid>"));
        }
        if (node.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> array.add(normalise(item)));
            return array;
        }
        if (node.isObject()) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                object.set(field.getKey(), normalise(field.getValue()));
            }
            return object;
        }
        return node;
    }
}
