package dev.reflex.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reflex.local.app.EmbeddedReflex;
import dev.reflex.local.http.AdminToken;
import dev.reflex.local.http.ReflexHttpServer;
import dev.reflex.stepfunctions.ExecutionStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded runtime over real HTTP: deliveries, bad input, restarts. */
class EmbeddedReflexIT {

  static final Path HOME = Path.of("../..").toAbsolutePath().normalize();
  static final Path SAMPLES = HOME.resolve("samples/alertmanager");
  final HttpClient http = HttpClient.newHttpClient();
  final ObjectMapper json = new ObjectMapper();

  @TempDir Path dataDir;

  record Running(EmbeddedReflex reflex, ReflexHttpServer server, String baseUrl) implements AutoCloseable {
    @Override
    public void close() {
      server.stop();
      reflex.close();
    }
  }

  Running start(Path data) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String baseUrl = "http://127.0.0.1:" + port;
    EmbeddedReflex reflex = EmbeddedReflex.start(EmbeddedReflex.Options.defaults(HOME, data, baseUrl)
        .withConsole(new java.io.PrintStream(java.io.PrintStream.nullOutputStream())));
    ReflexHttpServer server = new ReflexHttpServer(reflex,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), AdminToken.loadOrCreate(data));
    server.start();
    return new Running(reflex, server, baseUrl);
  }

  HttpResponse<String> post(String baseUrl, byte[] body, String contentType) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/alerts"))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void ingest_whenSameBodyDeliveredFiftyTimesConcurrently_opensExactlyOneIncident() throws Exception {
    byte[] body = Files.readAllBytes(SAMPLES.resolve("seed-day1-payment-api-latency.json"));
    try (Running running = start(dataDir)) {
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        calls.add(() -> post(running.baseUrl(), body, "application/json"));
      }
      Set<String> ids = new HashSet<>();
      int created = 0;
      for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) {
        HttpResponse<String> response = f.get();
        assertThat(response.statusCode()).isIn(200, 202);
        created += response.statusCode() == 202 ? 1 : 0;
        ids.add(json.readTree(response.body()).path("incidents").path(0).path("id").asText());
      }
      pool.shutdown();
      assertThat(created).isEqualTo(1);
      assertThat(ids).hasSize(1);
      assertThat(running.reflex().incidents(100)).hasSize(1);
    }
  }

  @Test
  void ingest_whenRedelivered_returns200WithTheSameIncident() throws Exception {
    byte[] body = Files.readAllBytes(SAMPLES.resolve("seed-day1-payment-api-latency.json"));
    try (Running running = start(dataDir)) {
      HttpResponse<String> first = post(running.baseUrl(), body, "application/json");
      HttpResponse<String> second = post(running.baseUrl(), body, "application/json");
      assertThat(first.statusCode()).isEqualTo(202);
      assertThat(second.statusCode()).isEqualTo(200);
      JsonNode a = json.readTree(first.body()).path("incidents").path(0);
      JsonNode b = json.readTree(second.body()).path("incidents").path(0);
      assertThat(b.path("id").asText()).isEqualTo(a.path("id").asText());
      assertThat(a.path("signature").asText()).isEqualTo("high_latency|payment-api|india");
    }
  }

  @Test
  void ingest_whenBodyIsMalformed_answers400NamingTheFieldAndStoresNothing() throws Exception {
    try (Running running = start(dataDir)) {
      HttpResponse<String> notJson = post(running.baseUrl(),
          Files.readAllBytes(SAMPLES.resolve("invalid/not-json.json")), "application/json");
      HttpResponse<String> noName = post(running.baseUrl(),
          Files.readAllBytes(SAMPLES.resolve("invalid/alert-without-alertname.json")), "application/json");
      HttpResponse<String> wrongType = post(running.baseUrl(),
          Files.readAllBytes(SAMPLES.resolve("invalid/label-value-is-a-number.json")), "application/json");
      HttpResponse<String> textPlain = post(running.baseUrl(),
          Files.readAllBytes(SAMPLES.resolve("seed-day1-payment-api-latency.json")), "text/plain");
      HttpResponse<String> huge = post(running.baseUrl(), new byte[1024 * 1024 + 1], "application/json");

      assertThat(notJson.statusCode()).isEqualTo(400);
      assertThat(json.readTree(notJson.body()).path("field").asText()).isEqualTo("body");
      assertThat(noName.statusCode()).isEqualTo(400);
      assertThat(json.readTree(noName.body()).path("field").asText()).endsWith("labels.alertname");
      assertThat(wrongType.statusCode()).isEqualTo(400);
      assertThat(json.readTree(wrongType.body()).path("field").asText()).startsWith("alerts[0].labels.");
      assertThat(textPlain.statusCode()).isEqualTo(415);
      assertThat(huge.statusCode()).isEqualTo(413);
      for (HttpResponse<String> r : List.of(notJson, noName, wrongType, textPlain, huge)) {
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
      }
      assertThat(running.reflex().incidents(100)).isEmpty();
    }
  }

  @Test
  void hostileLabels_neverBreakTheSignature() throws Exception {
    try (Running running = start(dataDir)) {
      HttpResponse<String> response = post(running.baseUrl(),
          Files.readAllBytes(SAMPLES.resolve("hostile-label-values.json")), "application/json");
      assertThat(response.statusCode()).isEqualTo(202);
      for (JsonNode incident : json.readTree(response.body()).path("incidents")) {
        assertThat(incident.path("signature").asText()).matches("[a-z0-9._-]+\\|[a-z0-9._-]+\\|[a-z0-9._-]+");
      }
    }
  }

  @Test
  void approval_whenProcessRestartsWhileWaiting_resumesAndCompletesAfterApproval() throws Exception {
    byte[] body = Files.readAllBytes(SAMPLES.resolve("seed-day1-payment-api-latency.json"));
    String incidentId;
    try (Running first = start(dataDir)) {
      HttpResponse<String> response = post(first.baseUrl(), body, "application/json");
      incidentId = json.readTree(response.body()).path("incidents").path(0).path("id").asText();
      first.reflex().awaitWorkflow(incidentId, Duration.ofSeconds(30));
      assertThat(first.reflex().incident(incidentId).path("status").asText()).isEqualTo("AWAITING_APPROVAL");
    }
    try (Running second = start(dataDir)) {
      assertThat(second.reflex().incident(incidentId).path("workflow").path("status").asText()).isEqualTo("RUNNING");
      second.reflex().decideAsOperator(incidentId, true, "operator@example.com", "after restart");
      second.reflex().awaitWorkflow(incidentId, Duration.ofSeconds(30));
      post(second.baseUrl(), Files.readAllBytes(SAMPLES.resolve("seed-day1-resolved.json")), "application/json");
      assertThat(second.reflex().awaitWorkflowEnd(incidentId, Duration.ofSeconds(30)).status())
          .isEqualTo(ExecutionStatus.SUCCEEDED);
      JsonNode incident = second.reflex().incident(incidentId);
      assertThat(incident.path("status").asText()).isEqualTo("RESOLVED");
      assertThat(incident.path("workflow").path("history").toString())
          .contains("TaskSubmitted").contains("ExecutionSucceeded");
    }
  }
}
