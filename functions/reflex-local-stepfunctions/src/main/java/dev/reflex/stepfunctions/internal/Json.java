package dev.reflex.stepfunctions.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ShortNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Shared Jackson set-up and small helpers.
 *
 * <p>Payloads travel through the runtime as trees, never as text. Two rules keep that equivalent to
 * the JSON text that Step Functions passes between states: a tree the runtime keeps (a state input,
 * a task payload, a result) is never changed again, and it is {@linkplain #canonical canonical},
 * i.e. made of the very node types that parsing its text gives back.
 */
public final class Json {
    // without the source in error locations: building that reference dominated parsing time;
    // buffers recycled through a shared pool: the default is per thread, and handlers run on short-lived virtual threads
    public static final ObjectMapper MAPPER = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .disable(com.fasterxml.jackson.core.StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
            .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    public static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    /** Step Functions' payload cap: 256 KiB of UTF-8. */
    public static final int MAX_PAYLOAD_BYTES = 262_144;

    private static final BigInteger MIN_LONG = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);

    static {
        MAPPER.setNodeFactory(NODES);
    }

    private Json() {}

    public static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static int utf8Size(JsonNode node) {
        return write(node).getBytes(StandardCharsets.UTF_8).length;
    }

    /** Whether the UTF-8 JSON text of {@code node} is longer than {@code limit} bytes; writes the text only when the tree might be. */
    public static boolean exceeds(JsonNode node, int limit) {
        return sizeBound(node, limit) > limit && utf8Size(node) > limit;
    }

    /**
     * An upper bound of the UTF-8 size of the node's JSON text (a character takes at most 6 bytes:
     * a six-character escape of a control character), or a value over {@code limit} as soon as the bound passes it.
     */
    private static long sizeBound(JsonNode node, long limit) {
        if (node instanceof TextNode t) return 2 + 6L * t.textValue().length();
        if (node instanceof IntNode || node instanceof LongNode || node instanceof ShortNode) return 20;
        if (node instanceof DoubleNode || node instanceof FloatNode) return 32; // at most 25 characters, or "NaN" quoted
        if (node instanceof DecimalNode || node instanceof BigIntegerNode) return node.numberValue().toString().length();
        if (node instanceof BooleanNode || node instanceof NullNode) return 5;
        if (node instanceof ObjectNode o) {
            long size = 2 + o.size();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext() && size <= limit; ) {
                Map.Entry<String, JsonNode> e = it.next();
                size += 3 + 6L * e.getKey().length() + sizeBound(e.getValue(), limit - size);
            }
            return size;
        }
        if (node instanceof ArrayNode a) {
            long size = 2 + a.size();
            for (int i = 0; i < a.size() && size <= limit; i++) size += sizeBound(a.get(i), limit - size);
            return size;
        }
        return utf8Size(node);
    }

    /**
     * {@code node} itself if it is canonical (what parsing its JSON text gives: objects, arrays,
     * strings, booleans, null, and numbers of the type the parser picks), else the tree parsed from
     * its text. Either way the result writes the same JSON text as {@code node}.
     */
    public static JsonNode canonical(JsonNode node) {
        return isCanonical(node) ? node : reparse(node);
    }

    /** Like {@link #canonical} but always a new tree: for a caller (a task handler) that may change it. */
    public static JsonNode canonicalCopy(JsonNode node) {
        return isCanonical(node) ? node.deepCopy() : reparse(node);
    }

    private static JsonNode reparse(JsonNode node) {
        try {
            return parse(write(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON value does not read back from its own text: " + e.getMessage(), e);
        }
    }

    private static boolean isCanonical(JsonNode node) {
        Class<?> type = node.getClass();
        if (type == TextNode.class || type == IntNode.class || type == BooleanNode.class || type == NullNode.class) return true;
        if (type == ObjectNode.class) {
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                if (!isCanonical(it.next())) return false;
            }
            return true;
        }
        if (type == ArrayNode.class) {
            for (int i = 0; i < node.size(); i++) {
                if (!isCanonical(node.get(i))) return false;
            }
            return true;
        }
        if (type == LongNode.class) return !node.canConvertToInt();
        if (type == BigIntegerNode.class) {
            BigInteger v = node.bigIntegerValue();
            return v.compareTo(MIN_LONG) < 0 || v.compareTo(MAX_LONG) > 0;
        }
        if (type == DecimalNode.class) {
            // the parser reads an integral text ("5") as an int, so only decimals written with a point or exponent are kept
            String text = node.decimalValue().toString();
            return text.indexOf('.') >= 0 || text.indexOf('E') >= 0;
        }
        return false;
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }
}
