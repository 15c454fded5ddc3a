package dev.reflex.stepfunctions.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.function.Supplier;

/** A compiled Choice rule (boolean expression); comparisons against a value of the wrong type are false, as on AWS. */
public sealed interface ChoiceRule {

    boolean test(JsonNode input, Supplier<JsonNode> context) throws StateError;

    record And(List<ChoiceRule> rules) implements ChoiceRule {
        public boolean test(JsonNode input, Supplier<JsonNode> context) throws StateError {
            for (ChoiceRule r : rules) if (!r.test(input, context)) return false;
            return true;
        }
    }

    record Or(List<ChoiceRule> rules) implements ChoiceRule {
        public boolean test(JsonNode input, Supplier<JsonNode> context) throws StateError {
            for (ChoiceRule r : rules) if (r.test(input, context)) return true;
            return false;
        }
    }

    record Not(ChoiceRule rule) implements ChoiceRule {
        public boolean test(JsonNode input, Supplier<JsonNode> context) throws StateError {
            return !rule.test(input, context);
        }
    }

    enum Kind { STRING, NUMERIC, BOOLEAN, TIMESTAMP, MATCHES, TYPE_TEST }

    enum Op {
        StringEquals(Kind.STRING), StringLessThan(Kind.STRING), StringGreaterThan(Kind.STRING),
        StringLessThanEquals(Kind.STRING), StringGreaterThanEquals(Kind.STRING),
        NumericEquals(Kind.NUMERIC), NumericLessThan(Kind.NUMERIC), NumericGreaterThan(Kind.NUMERIC),
        NumericLessThanEquals(Kind.NUMERIC), NumericGreaterThanEquals(Kind.NUMERIC),
        BooleanEquals(Kind.BOOLEAN),
        TimestampEquals(Kind.TIMESTAMP), TimestampLessThan(Kind.TIMESTAMP), TimestampGreaterThan(Kind.TIMESTAMP),
        TimestampLessThanEquals(Kind.TIMESTAMP), TimestampGreaterThanEquals(Kind.TIMESTAMP),
        StringMatches(Kind.MATCHES),
        IsNull(Kind.TYPE_TEST), IsPresent(Kind.TYPE_TEST), IsNumeric(Kind.TYPE_TEST), IsString(Kind.TYPE_TEST),
        IsBoolean(Kind.TYPE_TEST), IsTimestamp(Kind.TYPE_TEST);

        final Kind kind;

        Op(Kind kind) { this.kind = kind; }

        static Op find(String name) {
            for (Op op : values()) if (op.name().equals(name)) return op;
            return null;
        }
    }

    /** {@code Variable} compared by {@code op} with a literal {@code value} or the value at {@code valuePath}. */
    record Comparison(JsonPath variable, Op op, JsonNode value, JsonPath valuePath, Pattern pattern) implements ChoiceRule {
        public boolean test(JsonNode input, Supplier<JsonNode> context) throws StateError {
            JsonNode actual = variable.select(input, context);
            if (op == Op.IsPresent) return (actual != null) == value.booleanValue();
            if (actual == null) {
                throw StateError.runtime("Invalid path '" + variable.text() + "': The choice state's condition path references an invalid value.");
            }
            JsonNode expected = value;
            if (valuePath != null) {
                expected = valuePath.select(input, context);
                if (expected == null) {
                    throw StateError.runtime("Invalid path '" + valuePath.text() + "': The choice state's condition path references an invalid value.");
                }
            }
            return switch (op.kind) {
                case STRING -> actual.isTextual() && expected.isTextual() && compare(actual.textValue().compareTo(expected.textValue()));
                case NUMERIC -> actual.isNumber() && expected.isNumber() && compare(actual.decimalValue().compareTo(expected.decimalValue()));
                case BOOLEAN -> actual.isBoolean() && expected.isBoolean() && actual.booleanValue() == expected.booleanValue();
                case TIMESTAMP -> {
                    OffsetDateTime a = timestamp(actual);
                    OffsetDateTime b = timestamp(expected);
                    yield a != null && b != null && compare(a.toInstant().compareTo(b.toInstant()));
                }
                case MATCHES -> actual.isTextual() && pattern.matcher(actual.textValue()).matches();
                case TYPE_TEST -> {
                    boolean is = switch (op) {
                        case IsNull -> actual.isNull();
                        case IsNumeric -> actual.isNumber();
                        case IsString -> actual.isTextual();
                        case IsBoolean -> actual.isBoolean();
                        case IsTimestamp -> timestamp(actual) != null;
                        default -> throw new IllegalStateException(op.name());
                    };
                    yield is == value.booleanValue();
                }
            };
        }

        private boolean compare(int c) {
            String name = op.name();
            if (name.endsWith("LessThanEquals")) return c <= 0;
            if (name.endsWith("GreaterThanEquals")) return c >= 0;
            if (name.endsWith("LessThan")) return c < 0;
            if (name.endsWith("GreaterThan")) return c > 0;
            return c == 0;
        }
    }

    /** RFC 3339 timestamp ({@code 2016-03-14T01:59:00Z}, offsets allowed) or null. */
    static OffsetDateTime timestamp(JsonNode node) {
        if (!node.isTextual()) return null;
        try {
            return OffsetDateTime.parse(node.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    Set<String> LOGICAL = Set.of("And", "Or", "Not");

    /** Compiles a rule object; {@code top} rules carry {@code Next} (checked by the caller), nested ones must not. */
    static ChoiceRule compile(JsonNode rule, String field, boolean top) {
        if (!rule.isObject()) throw new DefinitionError(field, "a choice rule must be an object");
        List<String> keys = new ArrayList<>();
        rule.fieldNames().forEachRemaining(keys::add);
        keys.remove("Comment");
        if (top) {
            if (!keys.remove("Next")) throw new DefinitionError(field + ".Next", "a top-level choice rule needs Next");
        } else if (keys.contains("Next")) {
            throw new DefinitionError(field + ".Next", "only top-level choice rules may have Next");
        }
        if (keys.contains("Assign") || keys.contains("Condition") || keys.contains("Output")) {
            String k = keys.contains("Assign") ? "Assign" : keys.contains("Condition") ? "Condition" : "Output";
            throw new DefinitionError(field + "." + k, "not supported (variables and JSONata are refused)");
        }
        for (String logical : LOGICAL) {
            if (keys.contains(logical)) {
                if (keys.size() != 1) throw new DefinitionError(field, logical + " must be the only operator of its rule, found " + keys);
                JsonNode v = rule.get(logical);
                if (logical.equals("Not")) return new Not(compile(v, field + ".Not", false));
                if (!v.isArray() || v.isEmpty()) throw new DefinitionError(field + "." + logical, "must be a non-empty array of rules");
                List<ChoiceRule> rules = new ArrayList<>();
                for (int i = 0; i < v.size(); i++) rules.add(compile(v.get(i), field + "." + logical + "[" + i + "]", false));
                return logical.equals("And") ? new And(List.copyOf(rules)) : new Or(List.copyOf(rules));
            }
        }
        if (!keys.remove("Variable")) throw new DefinitionError(field + ".Variable", "a comparison needs Variable");
        JsonPath variable = path(rule.get("Variable"), field + ".Variable");
        if (keys.size() != 1) throw new DefinitionError(field, "a comparison needs exactly one operator, found " + keys);
        String opName = keys.get(0);
        String sub = field + "." + opName;
        boolean isPath = opName.endsWith("Path") && !opName.equals("IsPresent");
        Op op = Op.find(isPath ? opName.substring(0, opName.length() - 4) : opName);
        if (op == null || (isPath && (op.kind == Kind.TYPE_TEST || op.kind == Kind.MATCHES))) {
            throw new DefinitionError(sub, "unknown choice operator " + opName);
        }
        JsonNode v = rule.get(opName);
        if (isPath) {
            return new Comparison(variable, op, null, path(v, sub), null);
        }
        boolean ok = switch (op.kind) {
            case STRING, MATCHES -> v.isTextual();
            case NUMERIC -> v.isNumber();
            case BOOLEAN, TYPE_TEST -> v.isBoolean();
            case TIMESTAMP -> timestamp(v) != null;
        };
        if (!ok) {
            String wanted = switch (op.kind) {
                case STRING, MATCHES -> "a string";
                case NUMERIC -> "a number";
                case BOOLEAN, TYPE_TEST -> "a boolean";
                case TIMESTAMP -> "an RFC 3339 timestamp such as 2016-03-14T01:59:00Z";
            };
            throw new DefinitionError(sub, "must be " + wanted + ", got " + v);
        }
        return new Comparison(variable, op, v, null, op == Op.StringMatches ? glob(v.textValue()) : null);
    }

    private static JsonPath path(JsonNode v, String field) {
        if (v == null || !v.isTextual()) throw new DefinitionError(field, "must be a JSONPath string");
        try {
            return JsonPath.parse(v.textValue());
        } catch (IllegalArgumentException e) {
            throw new DefinitionError(field, e.getMessage());
        }
    }

    /** StringMatches pattern: {@code *} matches any run of characters, {@code \*} a literal star, {@code \\} a backslash. */
    static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                literal.append(pattern.charAt(++i));
            } else if (c == '*') {
                if (!literal.isEmpty()) regex.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
                regex.append(".*");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) regex.append(Pattern.quote(literal.toString()));
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

}
