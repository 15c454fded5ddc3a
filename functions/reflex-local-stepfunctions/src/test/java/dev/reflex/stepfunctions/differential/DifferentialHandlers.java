package dev.reflex.stepfunctions.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.stepfunctions.TaskFailedException;
import dev.reflex.stepfunctions.TaskHandler;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fixed set of deterministic task handlers used by the differential corpus. Each has a twin in
 * {@code src/test/js/handlers.mjs}; the two must stay identical in behaviour, error names and causes.
 */
final class DifferentialHandlers {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private DifferentialHandlers() {}

    /** A fresh set: {@code failTwiceThenSucceed} counts calls per input within one execution. */
    static Map<String, TaskHandler> create() {
        Map<String, Integer> attempts = new ConcurrentHashMap<>();
        Map<String, TaskHandler> handlers = new LinkedHashMap<>();
        handlers.put("echo", (input, ctx) -> input);
        handlers.put("addOne", (input, ctx) -> addOne(input));
        handlers.put("upper", (input, ctx) -> upperAll(input));
        handlers.put("failTwiceThenSucceed", (input, ctx) -> {
            int attempt = attempts.merge(input.toString(), 1, Integer::sum);
            if (attempt <= 2) {
                throw new TaskFailedException("TransientError", "attempt " + attempt + " of 3 fails");
            }
            ObjectNode result = NODES.objectNode();
            result.put("attempts", attempt);
            result.set("input", input);
            return result;
        });
        handlers.put("alwaysFail", (input, ctx) -> {
            throw new TaskFailedException("CustomError", "alwaysFail always fails");
        });
        return handlers;
    }

    private static JsonNode addOne(JsonNode input) throws TaskFailedException {
        if (input.isIntegralNumber()) {
            return NODES.numberNode(input.bigIntegerValue().add(BigInteger.ONE));
        }
        if (input.isNumber()) {
            return NODES.numberNode(input.decimalValue().add(BigDecimal.ONE));
        }
        if (input.isObject() && input.path("value").isNumber()) {
            ObjectNode copy = input.deepCopy();
            copy.set("value", addOne(input.get("value")));
            return copy;
        }
        throw new TaskFailedException("InvalidInput", "addOne needs a number or an object with a numeric \"value\"");
    }

    private static JsonNode upperAll(JsonNode node) {
        if (node.isTextual()) {
            return NODES.textNode(node.asText().toUpperCase(java.util.Locale.ROOT));
        }
        if (node.isArray()) {
            var array = NODES.arrayNode();
            node.forEach(item -> array.add(upperAll(item)));
            return array;
        }
        if (node.isObject()) {
            ObjectNode object = NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                object.set(field.getKey(), upperAll(field.getValue()));
            }
            return object;
        }
        return node;
    }
}
