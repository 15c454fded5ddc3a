package dev.reflex.local.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.local.cli.ReflexCli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/incidents/{id}/audit} and {@code ./reflex audit ID} over it. */
class AuditRouteTest {

  private final FakeReflexApi api = new FakeReflexApi();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private ReflexHttpServer server;

  @BeforeEach
  void start() {
    server = new ReflexHttpServer(api, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        AdminToken.of("ab".repeat(32)));
    server.start();
    api.addIncident(FakeReflexApi.JSON.createObjectNode().put("id", "inc-1"));
    api.auditTrails.put("inc-1", List.of(
        entry("2026-11-01T09:14:00Z", "ana@example.com", "approval.approved", "approval apr-1"),
        entry("2026-11-01T09:14:01Z", "reflex", "execution.sent", "dry-run runs pb-restart \u001b[2J")));
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private static JsonNode entry(String at, String actor, String action, String detail) {
    return FakeReflexApi.JSON.createObjectNode().put("at", at).put("incidentId", "inc-1").put("actor", actor)
        .put("action", action).put("detail", detail);
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void getAudit_returnsTheTrailOldestFirst() throws Exception {
    HttpResponse<String> response = send("GET", "/api/v1/incidents/inc-1/audit");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = FakeReflexApi.JSON.readTree(response.body());
    assertThat(body).hasSize(2);
    assertThat(body.get(0).path("action").asText()).isEqualTo("approval.approved");
  }

  @Test
  void getAudit_whenIncidentUnknown_is404() throws Exception {
    assertThat(send("GET", "/api/v1/incidents/inc-404/audit").statusCode()).isEqualTo(404);
  }

  @Test
  void audit_isReadOnly_405OnWrites() throws Exception {
    for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
      HttpResponse<String> response = send(method, "/api/v1/incidents/inc-1/audit");
      assertThat(response.statusCode()).as(method).isEqualTo(405);
      assertThat(response.headers().firstValue("Allow")).hasValue("GET");
    }
  }

  @Test
  void cliAudit_printsATableWithoutControlCharacters() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = new ReflexCli(Map.of("REFLEX_URL", server.baseUrl()), new ByteArrayInputStream(new byte[0]),
        Duration.ofSeconds(10)).run(new String[] {"audit", "inc-1"}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    assertThat(code).isEqualTo(0);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("AT", "ACTOR", "ACTION", "DETAIL")
        .contains("ana@example.com")
        .contains("execution.sent")
        .doesNotContain("\u001b");
  }
}
