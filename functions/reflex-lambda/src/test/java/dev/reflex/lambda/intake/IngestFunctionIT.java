package dev.reflex.lambda.intake;

import static dev.reflex.lambda.support.MockLambda.invoke;
import static dev.reflex.lambda.support.MockLambda.invokeExpectingError;
import static dev.reflex.lambda.support.MockLambda.parse;
import static dev.reflex.lambda.support.MockLambda.sample;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.domain.error.InvalidInputException;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import dev.reflex.lambda.support.FunctionProfiles;
import dev.reflex.lambda.support.InMemoryAdapters;
import dev.reflex.lambda.support.MockLambda;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The "ingest" Lambda, invoked behind API Gateway (HTTP API, payload 2.0) and directly. */
@QuarkusTest
@TestProfile(FunctionProfiles.Ingest.class)
class IngestFunctionIT {

  private static final String SEED = "alertmanager/seed-day1-payment-api-latency.json";
  private static final String SEED_SIGNATURE = "high_latency|payment-api|india";

  @Inject
  InMemoryAdapters adapters;

  @BeforeEach
  void emptyStores() {
    adapters.reset();
  }

  @Test
  void ingest_whenEventIsTheAlertmanagerBody_opensIncidentWithSignatureAndStartsWorkflow() {
    JsonNode out = invoke(sample(SEED));

    assertThat(out.path("incidents")).hasSize(1);
    JsonNode entry = out.path("incidents").get(0);
    assertThat(entry.path("signature").asText()).isEqualTo(SEED_SIGNATURE);
    assertThat(entry.path("status").asText()).isEqualTo("OPEN");
    assertThat(entry.path("alertStatus").asText()).isEqualTo("firing");
    assertThat(entry.path("created").asBoolean()).isTrue();
    Incident stored = adapters.world().incidents().find(entry.path("id").asText()).orElseThrow();
    assertThat(stored.status()).isEqualTo(IncidentStatus.OPEN);
    assertThat(adapters.world().workflows().started()).containsExactly(stored.id());
  }

  @Test
  void ingest_viaApiGateway_answers202WithTheNewIncident() {
    JsonNode response = invoke(apiGatewayEvent(sample(SEED)));

    assertThat(response.path("statusCode").asInt()).isEqualTo(202);
    assertThat(response.path("headers").path("Content-Type").asText()).startsWith("application/json");
    JsonNode body = parse(response.path("body").asText());
    assertThat(body.path("incidents")).hasSize(1);
    assertThat(body.path("incidents").get(0).path("signature").asText()).isEqualTo(SEED_SIGNATURE);
    assertThat(adapters.world().incidents().size()).isEqualTo(1);
  }

  @Test
  void ingest_viaApiGateway_whenBodyIsBase64Encoded_decodesItAndAnswers202() {
    ObjectNode event = apiGatewayEvent(sample(SEED));
    event.put("body", Base64.getEncoder().encodeToString(sample(SEED))).put("isBase64Encoded", true);

    JsonNode response = invoke(event);

    assertThat(response.path("statusCode").asInt()).isEqualTo(202);
    assertThat(parse(response.path("body").asText()).path("incidents").get(0).path("signature").asText())
        .isEqualTo(SEED_SIGNATURE);
  }

  @Test
  void ingest_whenRedelivered_answers200WithSameIncident() {
    JsonNode first = invoke(apiGatewayEvent(sample(SEED)));
    JsonNode again = invoke(apiGatewayEvent(sample(SEED)));

    assertThat(first.path("statusCode").asInt()).isEqualTo(202);
    assertThat(again.path("statusCode").asInt()).isEqualTo(200);
    JsonNode firstEntry = parse(first.path("body").asText()).path("incidents").get(0);
    JsonNode againEntry = parse(again.path("body").asText()).path("incidents").get(0);
    assertThat(againEntry.path("id").asText()).isEqualTo(firstEntry.path("id").asText());
    assertThat(againEntry.path("created").asBoolean()).isFalse();
    assertThat(adapters.world().incidents().size()).isEqualTo(1);
    assertThat(adapters.world().workflows().started()).containsOnly(firstEntry.path("id").asText());
  }

  @Test
  void ingest_whenSameAlertFiresAgainDaysLater_opensSecondIncidentWithSameSignature() {
    JsonNode day1 = invoke(apiGatewayEvent(sample(SEED)));
    JsonNode day8 = invoke(apiGatewayEvent(sample("alertmanager/seed-day8-payment-api-latency.json")));

    assertThat(day8.path("statusCode").asInt()).isEqualTo(202);
    JsonNode day1Entry = parse(day1.path("body").asText()).path("incidents").get(0);
    JsonNode day8Entry = parse(day8.path("body").asText()).path("incidents").get(0);
    assertThat(day8Entry.path("id").asText()).isNotEqualTo(day1Entry.path("id").asText());
    assertThat(day8Entry.path("signature").asText()).isEqualTo(SEED_SIGNATURE);
    assertThat(adapters.world().incidents().size()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0} → 400 naming {1}")
  @CsvSource({
      "not-json.json, body",
      "alerts-missing.json, alerts",
      "alerts-not-an-array.json, alerts",
      "alert-without-alertname.json, alerts[0].labels.alertname",
      "version-3.json, version",
      "label-value-is-a-number.json, alerts[0].labels.port",
      "starts-at-not-a-timestamp.json, alerts[0].startsAt",
  })
  void ingest_viaApiGateway_whenBodyIsMalformed_answers400NamingFieldAndStoresNothing(String file, String field) {
    JsonNode response = invoke(apiGatewayEvent(sample("alertmanager/invalid/" + file)));

    assertThat(response.path("statusCode").asInt()).isEqualTo(400);
    JsonNode body = parse(response.path("body").asText());
    assertThat(body.path("field").asText()).isEqualTo(field);
    assertThat(body.path("error").asText()).isNotBlank();
    assertThat(adapters.world().incidents().size()).isZero();
    assertThat(adapters.world().workflows().started()).isEmpty();
  }

  @Test
  void ingest_whenRawEventIsMalformed_failsWithInvalidInputExceptionAndStoresNothing() {
    MockLambda.FunctionError error = invokeExpectingError(sample("alertmanager/invalid/alerts-missing.json"));

    assertThat(error.thrown()).isEqualTo(InvalidInputException.class.getName());
    assertThat(adapters.world().incidents().size()).isZero();
    assertThat(adapters.world().workflows().started()).isEmpty();
  }

  /** What API Gateway's HTTP API hands the function for {@code POST /alertmanager} (payload format 2.0). */
  private static ObjectNode apiGatewayEvent(byte[] body) {
    ObjectNode event = MockLambda.json().createObjectNode();
    event.put("version", "2.0").put("routeKey", "POST /alertmanager").put("rawPath", "/alertmanager")
        .put("rawQueryString", "");
    event.putObject("headers").put("content-type", "application/json").put("user-agent", "Alertmanager/0.25.0");
    ObjectNode context = event.putObject("requestContext");
    context.put("apiId", "abc123").put("requestId", "req-1").put("stage", "$default")
        .put("routeKey", "POST /alertmanager").put("timeEpoch", 1_793_524_800_000L);
    context.putObject("http").put("method", "POST").put("path", "/alertmanager").put("protocol", "HTTP/1.1")
        .put("sourceIp", "10.0.0.7").put("userAgent", "Alertmanager/0.25.0");
    event.put("body", new String(body, StandardCharsets.UTF_8)).put("isBase64Encoded", false);
    return event;
  }
}
