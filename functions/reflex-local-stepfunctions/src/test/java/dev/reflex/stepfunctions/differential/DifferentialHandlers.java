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
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** A task token handed to a canned handler, and the answer the test sends back for it. */
    record Callback(String token, JsonNode response) {}

    private static final Pattern LAMBDA_ARN = Pattern.compile("arn:aws:lambda:[^:\"]*:[^:\"]*:function:([A-Za-z0-9_-]+)");

    /**
     * Handlers for the project's own state machines: each function whose Lambda ARN appears in
     * {@code text} (the definition and its substitutions) answers with
     * its canned response ({@code {"$error": {"error", "cause"}}} fails the task), or fails with
     * {@code Differential.UnexpectedCall} when it has none (as {@code run-asl.mjs} does). For
     * {@code .waitForTaskToken} tasks the answer is queued on {@code callbacks} for the test to send.
     */
    static Map<String, TaskHandler> canned(String text, JsonNode responses, Queue<Callback> callbacks) {
        Map<String, TaskHandler> handlers = new LinkedHashMap<>();
        Matcher functions = LAMBDA_ARN.matcher(text);
        while (functions.find()) {
            String name = functions.group(1);
            handlers.put(name, (input, ctx) -> {
                JsonNode response = responses.get(name);
                if (response == null) {
                    throw new TaskFailedException("Differential.UnexpectedCall", "responses.json has no answer for " + name);
                }
                if (ctx.taskToken() != null) {
                    callbacks.add(new Callback(ctx.taskToken(), response.deepCopy()));
                    return NODES.nullNode();
                }
                if (response.has("$error")) {
                    throw new TaskFailedException(response.get("$error").path("error").asText(),
                            response.get("$error").path("cause").asText());
                }
                return response.deepCopy();
            });
        }
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
