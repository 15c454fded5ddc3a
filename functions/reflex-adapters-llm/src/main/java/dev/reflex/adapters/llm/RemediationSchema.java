package dev.reflex.adapters.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.adapters.llm.internal.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON schema of a model's answer (the input schema of the one tool the model must call),
 * and a validator for it.
 *
 * <p>The validator interprets the subset of JSON Schema the resource uses ({@code type},
 * {@code properties}, {@code required}, {@code additionalProperties}, {@code items},
 * {@code min/maxItems}, {@code min/maxLength}, {@code maxProperties}, {@code pattern},
 * {@code enum}); loading a schema with any other keyword fails, so the two cannot drift apart. On
 * top of the schema it checks what JSON Schema cannot say: argument values are bounded, Jinja in
 * arguments is only a plain {@code {{ name }}} reference, and every referenced name is a declared
 * parameter, declared once.
 *
 * <p>Errors name a JSON path: {@code remediation_steps[2].module: required}.
 */
public final class RemediationSchema {

  public static final String RESOURCE = "dev/reflex/adapters/llm/remediation.schema.json";
  public static final int MAX_STEPS = 15;
  /** Longest string allowed anywhere inside {@code args}. */
  public static final int MAX_ARG_LENGTH = 4000;
  /** Deepest nesting allowed inside {@code args}. */
  public static final int MAX_ARG_DEPTH = 6;

  private static final Set<String> KEYWORDS = Set.of("type", "properties", "required", "additionalProperties",
      "items", "minItems", "maxItems", "minLength", "maxLength", "maxProperties", "pattern", "enum",
      "description", "title");
  private static final Pattern JINJA = Pattern.compile("\\{\\{(.*?)}}|\\{%|\\{#", Pattern.DOTALL);
  private static final Pattern PLAIN_REFERENCE = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*");

  private static final RemediationSchema DEFAULT = new RemediationSchema(Json.readResource(RESOURCE));

  private final ObjectNode schema;

  private RemediationSchema(JsonNode schema) {
    if (!(schema instanceof ObjectNode object)) {
      throw new IllegalArgumentException("a schema is a JSON object");
    }
    checkKeywords(object, "");
    this.schema = object;
  }

  /** The schema shipped in {@value #RESOURCE}. */
  public static RemediationSchema load() {
    return DEFAULT;
  }

  /** A copy of the schema, to send as the tool's input schema. */
  public ObjectNode json() {
    return schema.deepCopy();
  }

  /** Every error in {@code answer}, each naming its JSON path; empty when the answer is valid. */
  public List<String> validate(JsonNode answer) {
    List<String> errors = new ArrayList<>();
    check(schema, answer, "", errors);
    if (answer.isObject()) {
      checkArguments(answer, errors);
    }
    return List.copyOf(errors);
  }

  // ---------------------------------------------------------------- schema subset

  private static void check(JsonNode schema, JsonNode value, String path, List<String> errors) {
    JsonNode type = schema.get("type");
    if (type != null && !typeMatches(type, value)) {
      errors.add(at(path) + "expected " + typeText(type) + ", got " + typeOf(value));
      return;
    }
    if (value.isNull()) {
      return;
    }
    if (schema.has("enum")) {
      boolean found = false;
      for (JsonNode allowed : schema.get("enum")) {
        found |= allowed.equals(value);
      }
      if (!found) {
        errors.add(at(path) + "must be one of " + schema.get("enum"));
      }
    }
    if (value.isTextual()) {
      String text = value.asText();
      int length = text.codePointCount(0, text.length());
      if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
        errors.add(at(path) + (length == 0 ? "must not be empty" : "shorter than " + schema.get("minLength").asInt()));
      }
      if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
        errors.add(at(path) + "longer than " + schema.get("maxLength").asInt() + " characters");
      }
      if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(text).find()) {
        errors.add(at(path) + "must match " + schema.get("pattern").asText());
      }
    } else if (value.isArray()) {
      if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
        errors.add(at(path) + "needs at least " + schema.get("minItems").asInt() + " item(s)");
      }
      if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
        errors.add(at(path) + "at most " + schema.get("maxItems").asInt() + " items, got " + value.size());
      }
      if (schema.has("items")) {
        for (int i = 0; i < value.size(); i++) {
          check(schema.get("items"), value.get(i), path + "[" + i + "]", errors);
        }
      }
    } else if (value.isObject()) {
      checkObject(schema, value, path, errors);
    }
  }

  private static void checkObject(JsonNode schema, JsonNode value, String path, List<String> errors) {
    if (schema.has("maxProperties") && value.size() > schema.get("maxProperties").asInt()) {
      errors.add(at(path) + "at most " + schema.get("maxProperties").asInt() + " properties");
    }
    JsonNode properties = schema.path("properties");
    if (schema.has("required")) {
      for (JsonNode name : schema.get("required")) {
        if (!value.has(name.asText())) {
          errors.add(join(path, name.asText()) + ": required");
        }
      }
    }
    boolean closed = schema.has("additionalProperties") && !schema.get("additionalProperties").asBoolean(true);
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode propertySchema = properties.get(field.getKey());
      if (propertySchema != null) {
        check(propertySchema, field.getValue(), join(path, field.getKey()), errors);
      } else if (closed) {
        errors.add(join(path, printableName(field.getKey())) + ": unknown property");
      }
    }
  }

  private static boolean typeMatches(JsonNode type, JsonNode value) {
    if (type.isArray()) {
      for (JsonNode one : type) {
        if (typeMatches(one, value)) {
          return true;
        }
      }
      return false;
    }
    return switch (type.asText()) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "boolean" -> value.isBoolean();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "null" -> value.isNull();
      default -> false;
    };
  }

  private static String typeText(JsonNode type) {
    if (!type.isArray()) {
      return type.asText();
    }
    List<String> names = new ArrayList<>();
    type.forEach(t -> names.add(t.asText()));
    return String.join(" or ", names);
  }

  private static String typeOf(JsonNode value) {
    if (value.isObject()) {
      return "object";
    }
    if (value.isArray()) {
      return "array";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    if (value.isNumber()) {
      return "number";
    }
    return value.isNull() ? "null" : value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static void checkKeywords(JsonNode schema, String path) {
    for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
      String keyword = it.next();
      if (!KEYWORDS.contains(keyword)) {
        throw new IllegalArgumentException("schema keyword not supported by the validator: " + path + keyword);
      }
    }
    if (schema.has("pattern")) {
      Pattern.compile(schema.get("pattern").asText());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      checkKeywords(property.getValue(), path + property.getKey() + ".");
    }
    if (schema.has("items")) {
      checkKeywords(schema.get("items"), path + "items.");
    }
  }

  // ---------------------------------------------------------------- beyond the schema

  private static void checkArguments(JsonNode answer, List<String> errors) {
    Set<String> declared = new HashSet<>();
    JsonNode parameters = answer.path("parameters");
    for (int i = 0; i < parameters.size(); i++) {
      String name = parameters.get(i).path("name").asText();
      if (!declared.add(name)) {
        errors.add("parameters[" + i + "].name: parameter " + name + " is declared twice");
      }
    }
    Set<String> used = new LinkedHashSet<>();
    JsonNode steps = answer.path("remediation_steps");
    for (int i = 0; i < steps.size(); i++) {
      String step = "remediation_steps[" + i + "]";
      arguments(steps.get(i).path("args"), step + ".args", 1, used, errors);
      JsonNode rollback = steps.get(i).path("rollback");
      if (rollback.isObject()) {
        arguments(rollback.path("args"), step + ".rollback.args", 1, used, errors);
      }
      JsonNode check = steps.get(i).path("verification");
      if (check.isObject()) {
        arguments(check.path("args"), step + ".verification.args", 1, used, errors);
      }
    }
    arguments(answer.path("verification").path("args"), "verification.args", 1, used, errors);
    for (String name : used) {
      if (!declared.contains(name)) {
        errors.add("parameters: {{ " + name + " }} is used in args but not declared");
      }
    }
  }

  private static void arguments(JsonNode value, String path, int depth, Set<String> used, List<String> errors) {
    if (depth > MAX_ARG_DEPTH) {
      errors.add(path + ": nested deeper than " + MAX_ARG_DEPTH + " levels");
      return;
    }
    if (value.isTextual()) {
      String text = value.asText();
      if (text.length() > MAX_ARG_LENGTH) {
        errors.add(path + ": longer than " + MAX_ARG_LENGTH + " characters");
      }
      Matcher m = JINJA.matcher(text);
      while (m.find()) {
        Matcher plain = m.group(1) == null ? null : PLAIN_REFERENCE.matcher(m.group(1));
        if (plain != null && plain.matches()) {
          used.add(plain.group(1));
        } else {
          errors.add(path + ": only plain {{ name }} references to declared parameters are allowed (no filters,"
              + " lookups, expressions or statements)");
          break;
        }
      }
    } else if (value.isObject()) {
      if (value.size() > 50) {
        errors.add(path + ": more than 50 keys");
        return;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getKey().length() > 100 || JINJA.matcher(field.getKey()).find()) {
          errors.add(path + ": argument names must be short plain names");
          continue;
        }
        arguments(field.getValue(), path + "." + field.getKey(), depth + 1, used, errors);
      }
    } else if (value.isArray()) {
      if (value.size() > 100) {
        errors.add(path + ": more than 100 items");
        return;
      }
      for (int i = 0; i < value.size(); i++) {
        arguments(value.get(i), path + "[" + i + "]", depth + 1, used, errors);
      }
    }
  }

  private static String at(String path) {
    return path.isEmpty() ? "answer: " : path + ": ";
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static String printableName(String name) {
    String clean = name.replaceAll("[^A-Za-z0-9_.-]", "?");
    return clean.length() > 40 ? clean.substring(0, 40) + "..." : clean;
  }
}
