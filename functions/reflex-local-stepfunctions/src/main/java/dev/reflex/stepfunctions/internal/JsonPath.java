package dev.reflex.stepfunctions.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The JSONPath subset ASL uses: {@code $}, {@code $$} (context object), {@code .name},
 * {@code ['name']} / {@code ["name"]} (also several names), {@code [n]} (negative counts from the
 * end), {@code [n,m]}, {@code [a:b]} / {@code [a:b:step]}, {@code [*]}, {@code .*}, {@code ..name}
 * and {@code ..*}. Filters ({@code [?(...)]}) and script expressions are refused at parse time.
 * A path using only names and non-negative indexes is "definite" and selects one value (or none);
 * any other path selects a (possibly empty) array of matches, as Jayway JsonPath does on AWS.
 */
public final class JsonPath {
    sealed interface Segment {}

    record Field(String name) implements Segment {}

    record Fields(List<String> names) implements Segment {}

    record Index(int index) implements Segment {}

    record Indexes(List<Integer> indexes) implements Segment {}

    record Slice(Integer start, Integer end, int step) implements Segment {}

    record Wildcard() implements Segment {}

    record Deep(String name) implements Segment {} // name null means ..*

    public static final JsonPath ROOT = new JsonPath("$", false, List.of());

    private final String text;
    private final boolean context;
    private final List<Segment> segments;
    private final boolean definite;

    private JsonPath(String text, boolean context, List<Segment> segments) {
        this.text = text;
        this.context = context;
        this.segments = segments;
        this.definite = segments.stream().allMatch(s -> s instanceof Field || (s instanceof Index i && i.index() >= 0));
    }

    public String text() { return text; }

    /** True for {@code $$...} paths, which read the context object. */
    public boolean isContext() { return context; }

    /** True if the path can only name a single node: what ResultPath and other Reference Paths need. */
    public boolean isReference() { return definite && !context; }

    public boolean isDefinite() { return definite; }

    /** Parses a path; {@link IllegalArgumentException} with a reason if it is not valid. */
    public static JsonPath parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("path must be a string");
        }
        boolean context = text.startsWith("$$");
        if (!text.startsWith("$")) {
            throw new IllegalArgumentException("path must start with $: " + text);
        }
        int i = context ? 2 : 1;
        List<Segment> segments = new ArrayList<>();
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '.') {
                if (i + 1 < n && text.charAt(i + 1) == '.') {
                    i += 2;
                    if (i < n && text.charAt(i) == '*') {
                        segments.add(new Deep(null));
                        i++;
                    } else {
                        int start = i;
                        while (i < n && isNameChar(text.charAt(i))) i++;
                        if (start == i) throw new IllegalArgumentException("expected a name after '..' in " + text);
                        segments.add(new Deep(text.substring(start, i)));
                    }
                    continue;
                }
                i++;
                if (i < n && text.charAt(i) == '*') {
                    segments.add(new Wildcard());
                    i++;
                    continue;
                }
                int start = i;
                while (i < n && isNameChar(text.charAt(i))) i++;
                if (start == i) throw new IllegalArgumentException("expected a name after '.' in " + text);
                segments.add(new Field(text.substring(start, i)));
            } else if (c == '[') {
                int close = findClose(text, i);
                String inner = text.substring(i + 1, close).trim();
                segments.add(bracket(inner, text));
                i = close + 1;
            } else {
                throw new IllegalArgumentException("unexpected '" + c + "' at position " + i + " in " + text);
            }
        }
        return new JsonPath(text, context, List.copyOf(segments));
    }

    private static boolean isNameChar(char c) {
        return c != '.' && c != '[' && c != ']' && !Character.isWhitespace(c) && c != '\'' && c != '"';
    }

    private static int findClose(String text, int open) {
        char quote = 0;
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == ']') {
                return i;
            }
        }
        throw new IllegalArgumentException("unclosed '[' in " + text);
    }

    private static Segment bracket(String inner, String text) {
        if (inner.isEmpty()) throw new IllegalArgumentException("empty [] in " + text);
        if (inner.startsWith("?") || inner.startsWith("(")) {
            throw new IllegalArgumentException("filter and script expressions are not supported: " + text);
        }
        if (inner.equals("*")) return new Wildcard();
        if (inner.startsWith("'") || inner.startsWith("\"")) {
            List<String> names = new ArrayList<>();
            int i = 0;
            while (i < inner.length()) {
                char q = inner.charAt(i);
                if (q != '\'' && q != '"') throw new IllegalArgumentException("bad quoted name in " + text);
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < inner.length() && inner.charAt(i) != q) {
                    if (inner.charAt(i) == '\\' && i + 1 < inner.length()) i++;
                    sb.append(inner.charAt(i++));
                }
                if (i >= inner.length()) throw new IllegalArgumentException("unclosed quote in " + text);
                i++;
                names.add(sb.toString());
                while (i < inner.length() && inner.charAt(i) == ' ') i++;
                if (i < inner.length()) {
                    if (inner.charAt(i) != ',') throw new IllegalArgumentException("expected ',' in " + text);
                    i++;
                    while (i < inner.length() && inner.charAt(i) == ' ') i++;
                }
            }
            return names.size() == 1 ? new Field(names.get(0)) : new Fields(List.copyOf(names));
        }
        try {
            if (inner.contains(":")) {
                String[] parts = inner.split(":", -1);
                if (parts.length > 3) throw new IllegalArgumentException("bad slice in " + text);
                Integer start = parts[0].isBlank() ? null : Integer.parseInt(parts[0].trim());
                Integer end = parts[1].isBlank() ? null : Integer.parseInt(parts[1].trim());
                int step = parts.length == 3 && !parts[2].isBlank() ? Integer.parseInt(parts[2].trim()) : 1;
                if (step <= 0) throw new IllegalArgumentException("slice step must be positive in " + text);
                return new Slice(start, end, step);
            }
            if (inner.contains(",")) {
                List<Integer> idx = new ArrayList<>();
                for (String p : inner.split(",")) idx.add(Integer.parseInt(p.trim()));
                return new Indexes(List.copyOf(idx));
            }
            return new Index(Integer.parseInt(inner));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad index [" + inner + "] in " + text);
        }
    }

    /**
     * Selects from {@code input} (or {@code context} for {@code $$} paths). Definite paths return the
     * node or {@code null} if nothing is there; other paths return an array of matches.
     */
    public JsonNode select(JsonNode input, Supplier<JsonNode> contextObject) {
        JsonNode root = context ? (contextObject == null ? null : contextObject.get()) : input;
        if (definite) {
            // names and non-negative indexes only: one node or none, no lists needed
            JsonNode node = root;
            for (int k = 0; k < segments.size() && node != null; k++) {
                Segment segment = segments.get(k);
                if (segment instanceof Field f) {
                    node = node.isObject() ? node.get(f.name()) : null;
                } else {
                    int i = ((Index) segment).index();
                    node = node.isArray() && i < node.size() ? node.get(i) : null;
                }
            }
            return node;
        }
        List<JsonNode> current = new ArrayList<>();
        if (root != null) current.add(root);
        for (Segment segment : segments) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                step(segment, node, next);
            }
            current = next;
        }
        if (definite) {
            return current.isEmpty() ? null : current.get(0);
        }
        ArrayNode out = Json.NODES.arrayNode();
        current.forEach(out::add);
        return out;
    }

    /** Like {@link #select} but a definite path that selects nothing is a States.Runtime error. */
    public JsonNode require(JsonNode input, Supplier<JsonNode> contextObject, String what) throws StateError {
        JsonNode value = select(input, contextObject);
        if (value == null) {
            throw StateError.runtime("The JSONPath '" + text + "' specified for the field '" + what
                    + "' could not be found in the input '" + Json.write(context ? contextObject.get() : input) + "'");
        }
        return value;
    }

    private static void step(Segment segment, JsonNode node, List<JsonNode> out) {
        switch (segment) {
            case Field f -> {
                if (node.isObject() && node.has(f.name())) out.add(node.get(f.name()));
            }
            case Fields f -> {
                for (String name : f.names()) if (node.isObject() && node.has(name)) out.add(node.get(name));
            }
            case Index ix -> {
                if (node.isArray()) {
                    int i = ix.index() < 0 ? node.size() + ix.index() : ix.index();
                    if (i >= 0 && i < node.size()) out.add(node.get(i));
                }
            }
            case Indexes ix -> {
                for (int raw : ix.indexes()) step(new Index(raw), node, out);
            }
            case Slice s -> {
                if (node.isArray()) {
                    int size = node.size();
                    int start = s.start() == null ? 0 : norm(s.start(), size);
                    int end = s.end() == null ? size : norm(s.end(), size);
                    for (int i = start; i < end; i += s.step()) out.add(node.get(i));
                }
            }
            case Wildcard w -> {
                if (node.isArray() || node.isObject()) node.elements().forEachRemaining(out::add);
            }
            case Deep d -> deep(d.name(), node, out);
        }
    }

    private static int norm(int i, int size) {
        int v = i < 0 ? size + i : i;
        return Math.max(0, Math.min(size, v));
    }

    private static void deep(String name, JsonNode node, List<JsonNode> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (name == null || name.equals(e.getKey())) out.add(e.getValue());
                deep(name, e.getValue(), out);
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                if (name == null) out.add(child);
                deep(name, child, out);
            }
        }
    }

    /**
     * ResultPath semantics: returns a copy of {@code input} with {@code value} placed at this reference
     * path, creating missing intermediate objects. Fails with States.ResultPathMatchFailure when the
     * path crosses a value that is not an object (or an array index that does not exist).
     */
    public JsonNode setInto(JsonNode input, JsonNode value) throws StateError {
        if (segments.isEmpty()) {
            return value;
        }
        JsonNode copy = input.deepCopy();
        JsonNode node = copy;
        for (int k = 0; k < segments.size(); k++) {
            boolean last = k == segments.size() - 1;
            Segment segment = segments.get(k);
            if (segment instanceof Field f) {
                if (!node.isObject()) throw mismatch(input);
                ObjectNode obj = (ObjectNode) node;
                if (last) {
                    obj.set(f.name(), value);
                } else {
                    JsonNode child = obj.get(f.name());
                    if (child == null || child.isNull()) {
                        child = Json.object();
                        obj.set(f.name(), child);
                    }
                    node = child;
                }
            } else if (segment instanceof Index ix) {
                if (!node.isArray() || ix.index() >= node.size()) throw mismatch(input);
                ArrayNode arr = (ArrayNode) node;
                if (last) arr.set(ix.index(), value);
                else node = arr.get(ix.index());
            } else {
                throw mismatch(input);
            }
        }
        return copy;
    }

    private StateError mismatch(JsonNode input) {
        return new StateError(StateError.RESULT_PATH,
                "Unable to apply ResultPath '" + text + "' to input '" + Json.write(input) + "'");
    }

    @Override
    public String toString() {
        return text;
    }
}
