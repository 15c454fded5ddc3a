package dev.reflex.local.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeedbackAndEnableRouteTest {

  private static final String TOKEN = "cd".repeat(32);
  private final FakeReflexApi api = new FakeReflexApi();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private ReflexHttpServer server;

  @BeforeEach
  void start() {
    server = new ReflexHttpServer(api, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        AdminToken.of(TOKEN));
    server.start();
    api.addIncident(FakeReflexApi.JSON.createObjectNode().put("id", "inc-1").put("status", "RESOLVED"));
    api.addPlaybook(FakeReflexApi.JSON.createObjectNode().put("id", "pb-off").put("status", "DISABLED"));
    api.addPlaybook(FakeReflexApi.JSON.createObjectNode().put("id", "pb-on").put("status", "ACTIVE"));
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private HttpResponse<String> post(String path, String body, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode body(HttpResponse<String> response) throws Exception {
    return FakeReflexApi.JSON.readTree(response.body());
  }

  @Test
  void postFeedback_withAllFields_returns201AndPassesThemToTheDomain() throws Exception {
    HttpResponse<String> response = post("/api/v1/incidents/inc-1/feedback", """
        {"type":"correction","rating":2,"helpful":true,"accurate":false,"actionsWorked":false,
         "comment":"close","whatWorked":"nothing","actualResolution":"rolled back the deploy","author":"ana"}""",
        TOKEN);

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(body(response).path("type").asText()).isEqualTo("correction");
    assertThat(api.feedback).singleElement().satisfies(f -> {
      assertThat(f.incidentId()).isEqualTo("inc-1");
      assertThat(f.rating()).isEqualTo(2);
      assertThat(f.helpful()).isTrue();
      assertThat(f.accurate()).isFalse();
      assertThat(f.actionsWorked()).isFalse();
      assertThat(f.whatWorked()).isEqualTo("nothing");
      assertThat(f.actualResolution()).isEqualTo("rolled back the deploy");
      assertThat(f.author()).isEqualTo("ana");
    });
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"rating\":0}                                   | rating",
      "{\"rating\":6}                                   | rating",
      "{\"rating\":\"5\"}                               | rating",
      "{\"rating\":4.5}                                 | rating",
      "{}                                               | rating",
      "{\"rating\":4,\"helpful\":\"yes\"}               | helpful",
      "{\"rating\":4,\"type\":\"praise\"}               | type",
      "{\"rating\":4,\"type\":\"correction\"}           | actualResolution",
      "{\"rating\":4,\"comment\":7}                     | comment",
      "{\"rating\":4,\"mood\":\"ok\"}                   | mood",
      "[1]                                              | body",
      "{not json                                        | body"})
  void postFeedback_whenInvalid_returns400NamingTheField(String json, String field) throws Exception {
    HttpResponse<String> response = post("/api/v1/incidents/inc-1/feedback", json, TOKEN);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(body(response).path("field").asText()).isEqualTo(field);
    assertThat(body(response).path("error").asText()).isNotBlank();
    assertThat(api.feedback).isEmpty();
  }

  @Test
  void postFeedback_whenIncidentUnknown_returns404() throws Exception {
    HttpResponse<String> response = post("/api/v1/incidents/inc-404/feedback", "{\"rating\":5}", TOKEN);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(body(response).path("field").asText()).isEqualTo("id");
  }

  @Test
  void postFeedback_withoutOrWithWrongToken_returns401() throws Exception {
    assertThat(post("/api/v1/incidents/inc-1/feedback", "{\"rating\":5}", null).statusCode()).isEqualTo(401);
    assertThat(post("/api/v1/incidents/inc-1/feedback", "{\"rating\":5}", "ef".repeat(32)).statusCode())
        .isEqualTo(401);
    assertThat(api.feedback).isEmpty();
  }

  @Test
  void getFeedback_is405() throws Exception {
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(
        URI.create(server.baseUrl() + "/api/v1/incidents/inc-1/feedback")).GET().build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void enablePlaybook_whenDisabled_returnsItActive() throws Exception {
    HttpResponse<String> response = post("/api/v1/playbooks/pb-off/enable",
        "{\"reason\":\"fixed the unit file\",\"actor\":\"ana\"}", TOKEN);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body(response).path("status").asText()).isEqualTo("ACTIVE");
    assertThat(body(response).path("reenabledBy").asText()).isEqualTo("ana");
  }

  @Test
  void enablePlaybook_whenNotDisabled_returns400NamingStatus() throws Exception {
    HttpResponse<String> response = post("/api/v1/playbooks/pb-on/enable", "{\"reason\":\"x\"}", TOKEN);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(body(response).path("field").asText()).isEqualTo("status");
  }

  @Test
  void enablePlaybook_whenUnknown_returns404() throws Exception {
    assertThat(post("/api/v1/playbooks/pb-none/enable", "{\"reason\":\"x\"}", TOKEN).statusCode()).isEqualTo(404);
  }

  @Test
  void enablePlaybook_withoutReason_returns400NamingReason() throws Exception {
    HttpResponse<String> response = post("/api/v1/playbooks/pb-off/enable", "{}", TOKEN);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(body(response).path("field").asText()).isEqualTo("reason");
  }

  @Test
  void enablePlaybook_withSignature_reenablesThatSignatureOnly() throws Exception {
    api.disabledPatterns.add("pb-on#high_latency|payment-api|india");
    api.disabledPatterns.add("pb-on#high_latency|orders-api|india");

    HttpResponse<String> response = post("/api/v1/playbooks/pb-on/enable",
        "{\"reason\":\"pool size fixed\",\"actor\":\"ana\",\"signature\":\"high_latency|payment-api|india\"}", TOKEN);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body(response).path("signature").asText()).isEqualTo("high_latency|payment-api|india");
    assertThat(body(response).path("reenabledBy").asText()).isEqualTo("ana");
    assertThat(api.disabledPatterns).containsExactly("pb-on#high_latency|orders-api|india");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '~', value = {
      "\"high_latency|payment-api\"",
      "\"High Latency|payment-api|india\"",
      "\"high_latency|payment-api|india; rm -rf /\"",
      "42"})
  void enablePlaybook_withMalformedSignature_returns400NamingSignature(String signature) throws Exception {
    api.disabledPatterns.add("pb-on#high_latency|payment-api|india");

    HttpResponse<String> response = post("/api/v1/playbooks/pb-on/enable",
        "{\"reason\":\"x\",\"signature\":" + signature + "}", TOKEN);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(body(response).path("field").asText()).isEqualTo("signature");
    assertThat(api.disabledPatterns).hasSize(1);
  }

  @Test
  void enablePlaybook_withSignatureNotDisabled_returns400NamingStatus() throws Exception {
    HttpResponse<String> response = post("/api/v1/playbooks/pb-on/enable",
        "{\"reason\":\"x\",\"signature\":\"high_latency|payment-api|india\"}", TOKEN);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(body(response).path("field").asText()).isEqualTo("status");
    assertThat(body(response).toString()).contains("not disabled for signature high_latency|payment-api|india");
  }

  @Test
  void enablePlaybook_withoutToken_returns401AndChangesNothing() throws Exception {
    assertThat(post("/api/v1/playbooks/pb-off/enable", "{\"reason\":\"x\"}", null).statusCode()).isEqualTo(401);
    assertThat(api.playbooks()).anySatisfy(p -> assertThat(p.path("status").asText()).isEqualTo("DISABLED"));
  }
}
