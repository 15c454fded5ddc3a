package dev.reflex.lambda.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.AlertStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns an Alertmanager webhook body ({@code version: "4"}) into domain {@link Alert}s.
 *
 * <p>All or nothing: the whole body is validated before anything is returned, and the first problem
 * found is thrown as an {@link InvalidInputException} naming its JSON path, e.g. {@code
 * alerts[3].status} or {@code alerts[0].labels.severity}.
 *
 * <p>Label and annotation values are kept verbatim (shell metacharacters, newlines, prompt-like
 * text are data). Error messages never repeat a label or annotation value and quote other values
 * only in part, so an error can be logged or shown without leaking what the sender put there.
 *
 * <p>A firing alert's {@code endsAt} is dropped (Alertmanager sends the zero time, Prometheus a
 * guess); a resolved alert keeps it, the zero time meaning unknown. A missing or empty {@code
 * fingerprint} is computed from the labels (see {@link #fingerprintOf(Map)}).
 */
public final class AlertmanagerWebhookParser {

  public static final String SOURCE = "alertmanager";
  public static final int MAX_BODY_BYTES = 1024 * 1024;
  public static final int MAX_ALERTS = 1000;
  public static final int MAX_ENTRIES = 100;
  public static final int MAX_NAME_CHARS = 128;
  public static final int MAX_LABEL_VALUE_CHARS = 4096;
  public static final int MAX_ANNOTATION_VALUE_BYTES = 16 * 1024;
  public static final int MAX_URL_CHARS = 4096;
  public static final int MAX_FINGERPRINT_CHARS = 128;

  private static final int QUOTE_CHARS = 40;
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern FINGERPRINT = Pattern.compile("[A-Za-z0-9._:-]+");
  private static final Pattern RFC_3339 =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private final ObjectMapper mapper;

  public AlertmanagerWebhookParser() {
    this.mapper =
        JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
  }

  /**
   * @return the body's alerts in the order sent
   * @throws InvalidInputException naming the first field at fault
   */
  public List<Alert> parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw new InvalidInputException(
          "body", "is empty: expected an Alertmanager webhook JSON object");
    }
    if (body.length > MAX_BODY_BYTES) {
      throw new InvalidInputException("body", "exceeds " + MAX_BODY_BYTES + " bytes");
    }
    JsonNode root = readTree(body);
    if (root == null || !root.isObject()) {
      throw new InvalidInputException("body", "must be a JSON object, got " + typeOf(root));
    }
    checkVersion(root.get("version"));
    JsonNode alerts = root.get("alerts");
    if (alerts == null || alerts.isNull()) {
      throw new InvalidInputException("alerts", "is required");
    }
    if (!alerts.isArray()) {
      throw new InvalidInputException("alerts", "must be an array, got " + typeOf(alerts));
    }
    if (alerts.isEmpty()) {
      throw new InvalidInputException("alerts", "must not be empty");
    }
    if (alerts.size() > MAX_ALERTS) {
      throw new InvalidInputException(
          "alerts", "has " + alerts.size() + " alerts, at most " + MAX_ALERTS + " are allowed");
    }
    List<Alert> parsed = new ArrayList<>(alerts.size());
    for (int i = 0; i < alerts.size(); i++) {
      parsed.add(parseAlert(alerts.get(i), "alerts[" + i + "]"));
    }
    return List.copyOf(parsed);
  }

  /**
   * The fingerprint used when a sender gives none: the first 16 hex digits of the SHA-256 of the
   * labels sorted by name, each name and value in UTF-8 followed by the byte 0xFF (which UTF-8
   * never contains, so distinct label sets cannot collide by concatenation).
   */
  public static String fingerprintOf(Map<String, String> labels) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
      sha256.update(label.getKey().getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) 0xFF);
      sha256.update(label.getValue().getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) 0xFF);
    }
    return HexFormat.of().formatHex(sha256.digest()).substring(0, 16);
  }

  private JsonNode readTree(byte[] body) {
    try {
      return mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("body", describe(e));
    } catch (IOException e) {
      throw new InvalidInputException("body", "could not be read as JSON");
    }
  }

  /** Where the JSON broke, without Jackson's message (it can repeat a token of the input). */
  private static String describe(JsonProcessingException e) {
    StringBuilder message = new StringBuilder("malformed JSON");
    JsonLocation location = e.getLocation();
    if (location != null && location.getLineNr() > 0) {
      message.append(" at line ").append(location.getLineNr());
      message.append(", column ").append(location.getColumnNr());
    }
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (e instanceof JsonEOFException || original.startsWith("Unexpected end-of-input")) {
      message.append(": unexpected end of input");
    } else if (original.startsWith("Duplicate field")) {
      message.append(": duplicate field name");
    } else if (original.contains("UTF-8") || original.contains("Invalid UTF")) {
      message.append(": not valid UTF-8");
    } else if (original.startsWith("Trailing token")) {
      message.append(": unexpected content after the top-level value");
    } else if (original.contains("was expecting")) {
      message.append(": unexpected token");
    }
    return message.toString();
  }

  private static void checkVersion(JsonNode version) {
    if (version == null || version.isNull()) {
      throw new InvalidInputException("version", "is required: expected \"4\"");
    }
    if (!version.isTextual()) {
      throw new InvalidInputException(
          "version", "must be the string \"4\", got " + typeOf(version));
    }
    if (!version.textValue().equals("4")) {
      throw new InvalidInputException(
          "version",
          "unsupported webhook version " + quote(version.textValue()) + ": expected \"4\"");
    }
  }

  private static Alert parseAlert(JsonNode alert, String path) {
    if (!alert.isObject()) {
      throw new InvalidInputException(path, "must be an object, got " + typeOf(alert));
    }
    AlertStatus status = parseStatus(alert.get("status"), path + ".status");
    Map<String, String> labels =
        stringMap(alert.get("labels"), path + ".labels", true, MAX_LABEL_VALUE_CHARS, false);
    String alertName = labels.get("alertname");
    if (alertName == null) {
      throw new InvalidInputException(path + ".labels.alertname", "is required");
    }
    if (alertName.isBlank()) {
      throw new InvalidInputException(path + ".labels.alertname", "must not be blank");
    }
    Map<String, String> annotations =
        stringMap(
            alert.get("annotations"),
            path + ".annotations",
            false,
            MAX_ANNOTATION_VALUE_BYTES,
            true);
    Instant startsAt = requiredTime(alert.get("startsAt"), path + ".startsAt");
    Instant endsAt = optionalTime(alert.get("endsAt"), path + ".endsAt");
    if (endsAt != null && endsAt.isBefore(startsAt)) {
      throw new InvalidInputException(path + ".endsAt", "must not be before startsAt");
    }
    String fingerprint = fingerprint(alert.get("fingerprint"), path + ".fingerprint", labels);
    String generatorUrl = optionalText(alert.get("generatorURL"), path + ".generatorURL");
    return new Alert(
        SOURCE,
        fingerprint,
        status,
        labels,
        annotations,
        startsAt,
        status == AlertStatus.FIRING ? null : endsAt,
        generatorUrl);
  }

  private static AlertStatus parseStatus(JsonNode status, String field) {
    if (status == null || status.isNull()) {
      throw new InvalidInputException(field, "is required: expected \"firing\" or \"resolved\"");
    }
    if (!status.isTextual()) {
      throw new InvalidInputException(
          field, "must be \"firing\" or \"resolved\", got " + typeOf(status));
    }
    return switch (status.textValue()) {
      case "firing" -> AlertStatus.FIRING;
      case "resolved" -> AlertStatus.RESOLVED;
      default ->
          throw new InvalidInputException(
              field, "must be \"firing\" or \"resolved\", got " + quote(status.textValue()));
    };
  }

  /**
   * An object of string values. Values are never quoted in errors: a label may hold anything,
   * including a secret a careless rule copied into it.
   */
  private static Map<String, String> stringMap(
      JsonNode node, String path, boolean required, int maxValue, boolean maxIsBytes) {
    if (node == null || node.isNull()) {
      if (required) {
        throw new InvalidInputException(path, "is required");
      }
      return Map.of();
    }
    if (!node.isObject()) {
      throw new InvalidInputException(path, "must be an object, got " + typeOf(node));
    }
    if (node.size() > MAX_ENTRIES) {
      throw new InvalidInputException(
          path, "has " + node.size() + " entries, at most " + MAX_ENTRIES + " are allowed");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String name = entry.getKey();
      if (name.length() > MAX_NAME_CHARS) {
        throw new InvalidInputException(
            path, "name " + quote(name) + " is longer than " + MAX_NAME_CHARS + " characters");
      }
      if (!NAME.matcher(name).matches()) {
        throw new InvalidInputException(
            path, "name " + quote(name) + " must match [a-zA-Z_][a-zA-Z0-9_]*");
      }
      String field = path + "." + name;
      JsonNode value = entry.getValue();
      if (!value.isTextual()) {
        throw new InvalidInputException(field, "must be a string, got " + typeOf(value));
      }
      String text = value.textValue();
      if (maxIsBytes) {
        int bytes = utf8Length(text);
        if (bytes > maxValue) {
          throw new InvalidInputException(
              field, "is " + bytes + " bytes long, at most " + maxValue + " bytes are allowed");
        }
      } else {
        int chars = text.codePointCount(0, text.length());
        if (chars > maxValue) {
          throw new InvalidInputException(
              field, "is " + chars + " characters long, at most " + maxValue + " are allowed");
        }
      }
      if (hasLoneSurrogate(text)) {
        throw new InvalidInputException(field, "is not valid Unicode (lone surrogate)");
      }
      values.put(name, text);
    }
    return values;
  }

  private static Instant requiredTime(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      throw new InvalidInputException(field, "is required: expected an RFC 3339 timestamp");
    }
    Instant time = time(node, field);
    if (time == null) {
      throw new InvalidInputException(field, "must not be the zero time " + ZERO_TIME);
    }
    return time;
  }

  private static Instant optionalTime(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      return null;
    }
    return time(node, field);
  }

  /** An RFC 3339 timestamp, or null for Go's zero time. */
  private static Instant time(JsonNode node, String field) {
    if (!node.isTextual()) {
      throw new InvalidInputException(
          field, "must be an RFC 3339 timestamp string, got " + typeOf(node));
    }
    String text = node.textValue();
    if (!RFC_3339.matcher(text).matches()) {
      throw new InvalidInputException(
          field, "must be an RFC 3339 timestamp such as 2024-05-01T12:00:00Z, got " + quote(text));
    }
    Instant instant;
    try {
      instant = OffsetDateTime.parse(text.toUpperCase(Locale.ROOT)).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(field, "is not a valid date and time: " + quote(text));
    }
    return instant.equals(Instant.parse(ZERO_TIME)) ? null : instant;
  }

  private static String fingerprint(JsonNode node, String field, Map<String, String> labels) {
    if (node == null || node.isNull()) {
      return fingerprintOf(labels);
    }
    if (!node.isTextual()) {
      throw new InvalidInputException(field, "must be a string, got " + typeOf(node));
    }
    String text = node.textValue();
    if (text.isEmpty()) {
      return fingerprintOf(labels);
    }
    if (text.length() > MAX_FINGERPRINT_CHARS) {
      throw new InvalidInputException(
          field, "is longer than " + MAX_FINGERPRINT_CHARS + " characters");
    }
    if (!FINGERPRINT.matcher(text).matches()) {
      throw new InvalidInputException(
          field, "must contain only letters, digits and . _ : -, got " + quote(text));
    }
    return text;
  }

  private static String optionalText(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      return "";
    }
    if (!node.isTextual()) {
      throw new InvalidInputException(field, "must be a string, got " + typeOf(node));
    }
    String text = node.textValue();
    if (text.length() > MAX_URL_CHARS) {
      throw new InvalidInputException(field, "is longer than " + MAX_URL_CHARS + " characters");
    }
    if (hasLoneSurrogate(text)) {
      throw new InvalidInputException(field, "is not valid Unicode (lone surrogate)");
    }
    return text;
  }

  private static String typeOf(JsonNode node) {
    if (node == null) {
      return "nothing";
    }
    JsonNodeType type = node.getNodeType();
    return switch (type) {
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL, MISSING -> "null";
      case BINARY -> "binary data";
    };
  }

  /**
   * At most {@value #QUOTE_CHARS} characters of an untrusted value, control and non-ASCII
   * characters escaped, so an error message stays one harmless line.
   */
  static String quote(String value) {
    StringBuilder quoted = new StringBuilder("\"");
    int count = 0;
    for (int i = 0; i < value.length() && count < QUOTE_CHARS; i++, count++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        quoted.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7E) {
        quoted.append(String.format("\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    quoted.append('"');
    if (value.length() > QUOTE_CHARS) {
      quoted.append("... (").append(value.length()).append(" characters)");
    }
    return quoted.toString();
  }

  private static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private static boolean hasLoneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }
}
