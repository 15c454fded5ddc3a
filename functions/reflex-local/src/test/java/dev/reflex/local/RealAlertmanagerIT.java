package dev.reflex.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.lambda.approval.ApprovalView;
import dev.reflex.local.app.EmbeddedReflex;
import dev.reflex.local.app.ReflexApi;
import dev.reflex.local.http.AdminToken;
import dev.reflex.local.http.ReflexHttpServer;
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
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Alertmanager (Debian's prometheus-alertmanager, installed by .ci/install-packages.sh)
 * delivers its webhook to Reflex: it re-sends the same group again and again, and Reflex must
 * open exactly one incident and record the resolution on it.
 */
class RealAlertmanagerIT {

  static final Path HOME = Path.of("../..").toAbsolutePath().normalize();
  static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");

  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void alertmanager_whenItRedeliversAGroup_opensOneIncidentAndRecordsTheResolution() throws Exception {
    assumeTrue(Files.isExecutable(BINARY), "prometheus-alertmanager is not installed (.ci/install-packages.sh installs it)");
    int reflexPort = freePort();
    int amPort = freePort();
    String baseUrl = "http://127.0.0.1:" + reflexPort;
    Files.writeString(dir.resolve("alertmanager.yml"), """
        route:
          receiver: reflex
          group_by: [alertname, service]
          group_wait: 0s
          group_interval: 1s
          repeat_interval: 1s
        receivers:
          - name: reflex
            webhook_configs:
              - url: %s/api/v1/alerts
                send_resolved: true
        """.formatted(baseUrl));
    AtomicInteger deliveries = new AtomicInteger();
    try (EmbeddedReflex reflex = EmbeddedReflex.start(EmbeddedReflex.Options.defaults(HOME, dir.resolve("data"), baseUrl)
        .withConsole(new java.io.PrintStream(java.io.PrintStream.nullOutputStream())))) {
      ReflexApi counting = new CountingApi(reflex, deliveries);
      ReflexHttpServer server = new ReflexHttpServer(counting,
          new InetSocketAddress(InetAddress.getLoopbackAddress(), reflexPort), AdminToken.loadOrCreate(dir));
      server.start();
      Process alertmanager = new ProcessBuilder(BINARY.toString(),
          "--config.file=" + dir.resolve("alertmanager.yml"),
          "--storage.path=" + Files.createDirectories(dir.resolve("am")),
          "--web.listen-address=127.0.0.1:" + amPort,
          "--cluster.listen-address=")
          .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
      try {
        String amUrl = "http://127.0.0.1:" + amPort;
        await(() -> get(amUrl + "/-/ready") == 200, Duration.ofSeconds(20));
        Instant startsAt = Instant.now().minusSeconds(30);
        postAlert(amUrl, startsAt, null);
        await(() -> deliveries.get() >= 3, Duration.ofSeconds(30));

        List<JsonNode> incidents = reflex.incidents(10);
        assertThat(incidents).hasSize(1);
        assertThat(incidents.get(0).path("signature").asText()).isEqualTo("high_latency|payment-api|india");
        String id = incidents.get(0).path("id").asText();

        postAlert(amUrl, startsAt, Instant.now().minusSeconds(1));
        await(() -> !reflex.incident(id).path("alertResolvedAt").isNull(), Duration.ofSeconds(30));
        assertThat(reflex.incidents(10)).hasSize(1);
      } finally {
        alertmanager.destroy();
        server.stop();
      }
    }
  }

  private void postAlert(String amUrl, Instant startsAt, Instant endsAt) throws Exception {
    String body = """
        [{"labels":{"alertname":"HighP99Latency","service":"payment-api","region":"india","severity":"critical"},
          "annotations":{"summary":"P99 latency 1850 ms","value":"1850","threshold":"500"},
          "startsAt":"%s"%s}]
        """.formatted(startsAt, endsAt == null ? "" : ",\"endsAt\":\"" + endsAt + "\"");
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(amUrl + "/api/v2/alerts"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  private int get(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }

  private static void await(BooleanSupplier condition, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + max);
      }
      Thread.sleep(100);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Counts webhook deliveries on their way in. */
  private record CountingApi(EmbeddedReflex delegate, AtomicInteger deliveries) implements ReflexApi {
    @Override public IngestOutcome ingest(byte[] body) {
      deliveries.incrementAndGet();
      return delegate.ingest(body);
    }
    @Override public List<JsonNode> incidents(int limit) { return delegate.incidents(limit); }
    @Override public JsonNode incident(String id) { return delegate.incident(id); }
    @Override public List<JsonNode> playbooks() { return delegate.playbooks(); }
    @Override public ApprovalView approval(String id, String approver, String sig) {
      return delegate.approval(id, approver, sig);
    }
    @Override public ApprovalView decide(String id, String approver, String sig, boolean approve, String reason,
        dev.reflex.domain.model.ApprovalVote.Source source) {
      return delegate.decide(id, approver, sig, approve, reason, source);
    }
    @Override public ApprovalView decideAsOperator(String id, boolean approve, String actor, String reason) {
      return delegate.decideAsOperator(id, approve, actor, reason);
    }
    @Override public JsonNode health() { return delegate.health(); }
  }
}
