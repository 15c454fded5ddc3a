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

class LlmStatsRouteTest {

  private final FakeReflexApi api = new FakeReflexApi();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private ReflexHttpServer server;

  @BeforeEach
  void start() {
    server = new ReflexHttpServer(api, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        AdminToken.of("ab".repeat(32)));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void getStatsLlm_returnsTheReportAsJson() throws Exception {
    api.llmStats = FakeReflexApi.sampleLlmStats("disk_full|db-1|eu");

    HttpResponse<String> response = send("GET", "/api/v1/stats/llm");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
        .startsWith("application/json"));
    JsonNode body = FakeReflexApi.JSON.readTree(response.body());
    assertThat(body.path("total").path("calls").asLong()).isEqualTo(3);
    assertThat(body.path("perDay")).hasSize(2);
    assertThat(body.path("perSignature").get(0).path("signature").asText())
        .isEqualTo("high_latency|payment-api|india");
    assertThat(body.path("servedWithoutCall").path("matched").asLong()).isEqualTo(7);
  }

  @Test
  void postStatsLlm_is405WithAllow() throws Exception {
    api.llmStats = FakeReflexApi.sampleLlmStats("x|y|z");

    HttpResponse<String> response = send("POST", "/api/v1/stats/llm");

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("GET");
  }

  @Test
  void getStatsLlm_whenRuntimeKeepsNoLedger_is501() throws Exception {
    HttpResponse<String> response = send("GET", "/api/v1/stats/llm");

    assertThat(response.statusCode()).isEqualTo(501);
    assertThat(response.body()).contains("no consultation ledger").doesNotContain("Exception");
  }

  @Test
  void getStatsOfUnknownKind_is404() throws Exception {
    assertThat(send("GET", "/api/v1/stats/tokens").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/api/v1/stats").statusCode()).isEqualTo(404);
  }

  @Test
  void getStatsLlm_whenTheApiFails_is500WithoutDetails() throws Exception {
    api.failure = new IllegalStateException("ledger unreadable at s3://secret-bucket");

    HttpResponse<String> response = send("GET", "/api/v1/stats/llm");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).doesNotContain("secret-bucket");
  }
}
