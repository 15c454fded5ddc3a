package dev.reflex.stepfunctions.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringTokenizer;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Intrinsic functions ({@code States.Format('{}', $.x)} ...): a parser for the call syntax (string
 * literals in single quotes with {@code \'}, {@code \\}, {@code \{}, {@code \}} escapes, numbers,
 * {@code true}/{@code false}/{@code null}, paths, nested calls) and the functions themselves.
 */
public final class Intrinsics {

    /** A parsed intrinsic expression. */
    public sealed interface Expr {
        JsonNode eval(JsonNode input, Supplier<JsonNode> context) throws StateError;
    }

    record Literal(JsonNode value) implements Expr {
        public JsonNode eval(JsonNode input, Supplier<JsonNode> context) { return value; }
    }

    /** A string literal; {@code raw} keeps backslash escapes so States.Format can tell {@code \{} from {@code {}}. */
    record Str(String raw) implements Expr {
        String value() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '\\' && i + 1 < raw.length()) c = raw.charAt(++i);
                sb.append(c);
            }
            return sb.toString();
        }

        public JsonNode eval(JsonNode input, Supplier<JsonNode> context) { return Json.NODES.textNode(value()); }
    }

    record PathArg(JsonPath path) implements Expr {
        public JsonNode eval(JsonNode input, Supplier<JsonNode> context) throws StateError {
            JsonNode v = path.select(input, context);
            if (v == null) {
                throw StateError.runtime("The JsonPath argument '" + path.text() + "' of an intrinsic function could not be found in the input");
            }
            return v;
        }
    }

    record Call(String name, List<Expr> args) implements Expr {
        public JsonNode eval(JsonNode input, Supplier<JsonNode> context) throws StateError {
            List<JsonNode> values = new ArrayList<>();
            for (Expr arg : args) values.add(arg.eval(input, context));
            return invoke(this, values);
        }
    }

    private record Arity(int min, int max) {}

    private static final Map<String, Arity> FUNCTIONS = Map.ofEntries(
            Map.entry("States.Format", new Arity(1, Integer.MAX_VALUE)),
            Map.entry("States.StringToJson", new Arity(1, 1)),
            Map.entry("States.JsonToString", new Arity(1, 1)),
            Map.entry("States.Array", new Arity(0, Integer.MAX_VALUE)),
            Map.entry("States.ArrayPartition", new Arity(2, 2)),
            Map.entry("States.ArrayContains", new Arity(2, 2)),
            Map.entry("States.ArrayRange", new Arity(3, 3)),
            Map.entry("States.ArrayGetItem", new Arity(2, 2)),
            Map.entry("States.ArrayLength", new Arity(1, 1)),
            Map.entry("States.ArrayUnique", new Arity(1, 1)),
            Map.entry("States.Base64Encode", new Arity(1, 1)),
            Map.entry("States.Base64Decode", new Arity(1, 1)),
            Map.entry("States.Hash", new Arity(2, 2)),
            Map.entry("States.JsonMerge", new Arity(3, 3)),
            Map.entry("States.MathRandom", new Arity(2, 3)),
            Map.entry("States.MathAdd", new Arity(2, 2)),
            Map.entry("States.StringSplit", new Arity(2, 2)),
            Map.entry("States.UUID", new Arity(0, 0)));

    private Intrinsics() {}

    public static boolean looksLikeCall(String text) {
        return text.startsWith("States.");
    }

    /** Parses an intrinsic call; {@link IllegalArgumentException} with a reason if invalid. */
    public static Expr parse(String text) {
        Parser p = new Parser(text);
        Expr e = p.call();
        p.skipSpaces();
        if (p.pos != text.length()) throw new IllegalArgumentException("unexpected text after ')' in " + text);
        return e;
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) { this.s = s; }

        void skipSpaces() { while (pos < s.length() && s.charAt(pos) == ' ') pos++; }

        Call call() {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '.')) pos++;
            String name = s.substring(start, pos);
            Arity arity = FUNCTIONS.get(name);
            if (arity == null) throw new IllegalArgumentException("unknown intrinsic function '" + name + "'");
            skipSpaces();
            expect('(');
            List<Expr> args = new ArrayList<>();
            skipSpaces();
            if (peek() != ')') {
                while (true) {
                    skipSpaces();
                    args.add(arg());
                    skipSpaces();
                    if (peek() == ',') { pos++; continue; }
                    break;
                }
            }
            expect(')');
            if (args.size() < arity.min() || args.size() > arity.max()) {
                throw new IllegalArgumentException(name + " takes " + (arity.min() == arity.max() ? String.valueOf(arity.min())
                        : arity.min() + ".." + (arity.max() == Integer.MAX_VALUE ? "n" : arity.max())) + " arguments, got " + args.size());
            }
            return new Call(name, List.copyOf(args));
        }

        char peek() {
            if (pos >= s.length()) throw new IllegalArgumentException("unexpected end of " + s);
            return s.charAt(pos);
        }

        void expect(char c) {
            if (peek() != c) throw new IllegalArgumentException("expected '" + c + "' at position " + pos + " in " + s);
            pos++;
        }

        Expr arg() {
            char c = peek();
            if (c == '\'') {
                pos++;
                StringBuilder raw = new StringBuilder();
                while (true) {
                    char d = peek();
                    if (d == '\\') {
                        raw.append(d);
                        pos++;
                        raw.append(peek());
                        pos++;
                    } else if (d == '\'') {
                        pos++;
                        break;
                    } else {
                        raw.append(d);
                        pos++;
                    }
                }
                return new Str(raw.toString());
            }
            if (c == '$') {
                int start = pos;
                int depth = 0;
                char quote = 0;
                while (pos < s.length()) {
                    char d = s.charAt(pos);
                    if (quote != 0) {
                        if (d == quote) quote = 0;
                    } else if (d == '\'' || d == '"') {
                        quote = d;
                    } else if (d == '[') {
                        depth++;
                    } else if (d == ']') {
                        depth--;
                    } else if (depth == 0 && (d == ',' || d == ')' || d == ' ')) {
                        break;
                    }
                    pos++;
                }
                return new PathArg(JsonPath.parse(s.substring(start, pos)));
            }
            if (s.startsWith("States.", pos)) {
                return call();
            }
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != ',' && s.charAt(pos) != ')' && s.charAt(pos) != ' ') pos++;
            String token = s.substring(start, pos);
            switch (token) {
                case "true": return new Literal(Json.NODES.booleanNode(true));
                case "false": return new Literal(Json.NODES.booleanNode(false));
                case "null": return new Literal(Json.NODES.nullNode());
                default:
                    try {
                        return new Literal(Json.NODES.numberNode(new BigDecimal(token)));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("bad argument '" + token + "' in " + s);
                    }
            }
        }
    }

    private static JsonNode invoke(Call call, List<JsonNode> a) throws StateError {
        String fn = call.name();
        return switch (fn) {
            case "States.Format" -> format(call, a);
            case "States.StringToJson" -> {
                String text = string(fn, a, 0);
                try {
                    yield Json.parse(text);
                } catch (Exception e) {
                    throw StateError.intrinsic("Invalid arguments in States.StringToJson: not JSON: " + text);
                }
            }
            case "States.JsonToString" -> Json.NODES.textNode(Json.write(a.get(0)));
            case "States.Array" -> {
                ArrayNode out = Json.NODES.arrayNode();
                a.forEach(out::add);
                yield out;
            }
            case "States.ArrayPartition" -> {
                ArrayNode arr = array(fn, a, 0);
                int size = integer(fn, a, 1);
                if (size <= 0) throw StateError.intrinsic("States.ArrayPartition chunk size must be positive");
                ArrayNode out = Json.NODES.arrayNode();
                ArrayNode chunk = null;
                for (int i = 0; i < arr.size(); i++) {
                    if (i % size == 0) chunk = out.addArray();
                    chunk.add(arr.get(i));
                }
                yield out;
            }
            case "States.ArrayContains" -> {
                ArrayNode arr = array(fn, a, 0);
                boolean found = false;
                for (JsonNode e : arr) found |= jsonEquals(e, a.get(1));
                yield Json.NODES.booleanNode(found);
            }
            case "States.ArrayRange" -> {
                int start = integer(fn, a, 0);
                int end = integer(fn, a, 1);
                int step = integer(fn, a, 2);
                if (step == 0) throw StateError.intrinsic("States.ArrayRange step must not be 0");
                ArrayNode out = Json.NODES.arrayNode();
                for (long i = start; step > 0 ? i <= end : i >= end; i += step) {
                    if (out.size() == 1000) throw StateError.intrinsic("States.ArrayRange may produce at most 1000 items");
                    out.add(i);
                }
                yield out;
            }
            case "States.ArrayGetItem" -> {
                ArrayNode arr = array(fn, a, 0);
                int index = integer(fn, a, 1);
                if (index < 0 || index >= arr.size()) {
                    throw StateError.intrinsic("States.ArrayGetItem index " + index + " is out of bounds for " + arr.size() + " items");
                }
                yield arr.get(index);
            }
            case "States.ArrayLength" -> Json.NODES.numberNode(array(fn, a, 0).size());
            case "States.ArrayUnique" -> {
                ArrayNode out = Json.NODES.arrayNode();
                for (JsonNode e : array(fn, a, 0)) {
                    boolean seen = false;
                    for (JsonNode o : out) seen |= jsonEquals(o, e);
                    if (!seen) out.add(e);
                }
                yield out;
            }
            case "States.Base64Encode" -> {
                String s = string(fn, a, 0);
                if (s.length() > 10_000) throw StateError.intrinsic("States.Base64Encode input is limited to 10000 characters");
                yield Json.NODES.textNode(Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
            }
            case "States.Base64Decode" -> {
                String s = string(fn, a, 0);
                if (s.length() > 10_000) throw StateError.intrinsic("States.Base64Decode input is limited to 10000 characters");
                try {
                    yield Json.NODES.textNode(new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw StateError.intrinsic("States.Base64Decode: not Base64: " + s);
                }
            }
            case "States.Hash" -> {
                String data = a.get(0).isTextual() ? a.get(0).textValue() : Json.write(a.get(0));
                String algorithm = string(fn, a, 1);
                if (!Set.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512").contains(algorithm)) {
                    throw StateError.intrinsic("States.Hash algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, got " + algorithm);
                }
                if (data.length() > 10_000) throw StateError.intrinsic("States.Hash input is limited to 10000 characters");
                try {
                    byte[] digest = MessageDigest.getInstance(algorithm).digest(data.getBytes(StandardCharsets.UTF_8));
                    yield Json.NODES.textNode(HexFormat.of().formatHex(digest));
                } catch (NoSuchAlgorithmException e) {
                    throw StateError.intrinsic("States.Hash: " + e.getMessage());
                }
            }
            case "States.JsonMerge" -> {
                if (!a.get(0).isObject() || !a.get(1).isObject()) throw StateError.intrinsic("States.JsonMerge merges two JSON objects");
                if (!a.get(2).isBoolean() || a.get(2).booleanValue()) {
                    throw StateError.intrinsic("States.JsonMerge supports only a shallow merge (third argument false)");
                }
                ObjectNode out = a.get(0).deepCopy();
                out.setAll((ObjectNode) a.get(1).deepCopy());
                yield out;
            }
            case "States.MathRandom" -> {
                int start = integer(fn, a, 0);
                int end = integer(fn, a, 1);
                if (end <= start) throw StateError.intrinsic("States.MathRandom end must be greater than start");
                Random random = a.size() == 3 ? new Random(integer(fn, a, 2)) : ThreadLocalRandom.current();
                yield Json.NODES.numberNode(start + random.nextInt(end - start));
            }
            case "States.MathAdd" -> {
                BigInteger sum = BigInteger.valueOf(integer(fn, a, 0)).add(BigInteger.valueOf(integer(fn, a, 1)));
                if (sum.bitLength() > 31) throw StateError.intrinsic("States.MathAdd result out of the 32-bit integer range");
                yield Json.NODES.numberNode(sum.intValue());
            }
            case "States.StringSplit" -> {
                StringTokenizer tokens = new StringTokenizer(string(fn, a, 0), string(fn, a, 1));
                ArrayNode out = Json.NODES.arrayNode();
                while (tokens.hasMoreTokens()) out.add(tokens.nextToken());
                yield out;
            }
            case "States.UUID" -> Json.NODES.textNode(UUID.randomUUID().toString());
            default -> throw StateError.intrinsic("unknown intrinsic " + fn);
        };
    }

    private static JsonNode format(Call call, List<JsonNode> a) throws StateError {
        if (!(call.args().get(0) instanceof Str template)) {
            if (!a.get(0).isTextual()) throw StateError.intrinsic("States.Format template must be a string");
        }
        String raw = call.args().get(0) instanceof Str s ? s.raw() : a.get(0).textValue();
        StringBuilder out = new StringBuilder();
        int next = 1;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                out.append(raw.charAt(++i));
            } else if (c == '{' && i + 1 < raw.length() && raw.charAt(i + 1) == '}') {
                if (next >= a.size()) {
                    throw StateError.intrinsic("Invalid arguments in States.Format: more {} placeholders than arguments");
                }
                JsonNode v = a.get(next++);
                if (v.isContainerNode()) {
                    throw StateError.intrinsic("Invalid arguments in States.Format: arguments must be strings, numbers, booleans or null");
                }
                out.append(v.isTextual() ? v.textValue() : v.isNull() ? "null" : v.asText());
                i++;
            } else {
                out.append(c);
            }
        }
        if (next != a.size()) {
            throw StateError.intrinsic("Invalid arguments in States.Format: " + (a.size() - 1) + " arguments for " + (next - 1) + " placeholders");
        }
        return Json.NODES.textNode(out.toString());
    }

    private static String string(String fn, List<JsonNode> a, int i) throws StateError {
        if (!a.get(i).isTextual()) throw StateError.intrinsic("Invalid arguments in " + fn + ": argument " + (i + 1) + " must be a string");
        return a.get(i).textValue();
    }

    private static ArrayNode array(String fn, List<JsonNode> a, int i) throws StateError {
        if (!a.get(i).isArray()) throw StateError.intrinsic("Invalid arguments in " + fn + ": argument " + (i + 1) + " must be an array");
        return (ArrayNode) a.get(i);
    }

    private static int integer(String fn, List<JsonNode> a, int i) throws StateError {
        JsonNode v = a.get(i);
        if (!v.isNumber()) throw StateError.intrinsic("Invalid arguments in " + fn + ": argument " + (i + 1) + " must be an integer");
        BigDecimal d = v.decimalValue();
        try {
            return d.stripTrailingZeros().intValueExact();
        } catch (ArithmeticException e) {
            throw StateError.intrinsic("Invalid arguments in " + fn + ": argument " + (i + 1) + " must be a 32-bit integer, got " + v);
        }
    }

    /** JSON equality with numbers compared by value (1 equals 1.0). */
    public static boolean jsonEquals(JsonNode x, JsonNode y) {
        if (x.isNumber() && y.isNumber()) return x.decimalValue().compareTo(y.decimalValue()) == 0;
        if (x.isArray() && y.isArray()) {
            if (x.size() != y.size()) return false;
            for (int i = 0; i < x.size(); i++) if (!jsonEquals(x.get(i), y.get(i))) return false;
            return true;
        }
        if (x.isObject() && y.isObject()) {
            if (x.size() != y.size()) return false;
            Set<String> names = new LinkedHashSet<>();
            x.fieldNames().forEachRemaining(names::add);
            for (String n : names) if (!y.has(n) || !jsonEquals(x.get(n), y.get(n))) return false;
            return true;
        }
        return x.equals(y);
    }
}
