package dev.reflex.stepfunctions.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A compiled payload template (Parameters, ResultSelector, ItemSelector): keys ending in {@code .$}
 * take their value from a path, a context path or an intrinsic function; everything else is copied.
 * Nested objects and objects inside arrays are templates too.
 */
public sealed interface Template {

    JsonNode evaluate(JsonNode input, Supplier<JsonNode> context) throws StateError;

    record Literal(JsonNode value) implements Template {
        public JsonNode evaluate(JsonNode input, Supplier<JsonNode> context) { return value.deepCopy(); }
    }

    record Obj(List<Map.Entry<String, Template>> entries) implements Template {
        public JsonNode evaluate(JsonNode input, Supplier<JsonNode> context) throws StateError {
            ObjectNode out = Json.object();
            for (Map.Entry<String, Template> e : entries) out.set(e.getKey(), e.getValue().evaluate(input, context));
            return out;
        }
    }

    record Arr(List<Template> items) implements Template {
        public JsonNode evaluate(JsonNode input, Supplier<JsonNode> context) throws StateError {
            ArrayNode out = Json.NODES.arrayNode();
            for (Template t : items) out.add(t.evaluate(input, context));
            return out;
        }
    }

    /** A {@code "key.$": "$.path"} value. */
    record PathValue(String field, JsonPath path) implements Template {
        public JsonNode evaluate(JsonNode input, Supplier<JsonNode> context) throws StateError {
            return path.require(input, context, field).deepCopy();
        }
    }

    /** A {@code "key.$": "States.Fn(...)"} value. */
    record IntrinsicValue(String field, Intrinsics.Expr expr) implements Template {
        public JsonNode evaluate(JsonNode input, Supplier<JsonNode> context) throws StateError {
            return expr.eval(input, context).deepCopy();
        }
    }

    /**
     * Compiles {@code node}; {@link IllegalArgumentException} with the offending sub-field (relative to
     * the template) if a {@code .$} value is not a valid path or intrinsic call.
     */
    static Template compile(JsonNode node, String field) {
        if (node.isObject()) {
            List<Map.Entry<String, Template>> entries = new ArrayList<>();
            Set<String> names = new HashSet<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                String sub = field + "." + key;
                if (key.endsWith(".$")) {
                    String name = key.substring(0, key.length() - 2);
                    if (!e.getValue().isTextual()) {
                        throw new DefinitionError(sub, "a field ending in .$ must have a string value (a path or an intrinsic function)");
                    }
                    add(entries, names, name, dynamic(e.getValue().textValue(), sub), sub);
                } else {
                    add(entries, names, key, compile(e.getValue(), sub), sub);
                }
            }
            return new Obj(List.copyOf(entries));
        }
        if (node.isArray()) {
            List<Template> items = new ArrayList<>();
            boolean dynamicInside = false;
            for (int i = 0; i < node.size(); i++) {
                Template t = compile(node.get(i), field + "[" + i + "]");
                dynamicInside |= !(t instanceof Literal);
                items.add(t);
            }
            return dynamicInside ? new Arr(List.copyOf(items)) : new Literal(node);
        }
        return new Literal(node);
    }

    private static void add(List<Map.Entry<String, Template>> entries, Set<String> names, String name, Template t, String field) {
        if (!names.add(name)) throw new DefinitionError(field, "field \"" + name + "\" is given twice (with and without .$)");
        entries.add(Map.entry(name, t));
    }

    /** Compiles a path or intrinsic expression string (a {@code .$} value, ErrorPath, CausePath). */
    static Template dynamic(String text, String field) {
        try {
            if (text.startsWith("$")) return new PathValue(field, JsonPath.parse(text));
            if (Intrinsics.looksLikeCall(text)) return new IntrinsicValue(field, Intrinsics.parse(text));
        } catch (IllegalArgumentException e) {
            throw new DefinitionError(field, e.getMessage());
        }
        throw new DefinitionError(field, "must be a JSONPath ($...), a context path ($$...) or an intrinsic function (States....), got \"" + text + "\"");
    }
}
