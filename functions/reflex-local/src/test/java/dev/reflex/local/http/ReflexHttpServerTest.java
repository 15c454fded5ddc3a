package dev.reflex.local.http;

import static dev.reflex.local.http.FakeReflexApi.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.error.PlanRefusedException;
import dev.reflex.domain.error.SecretNotFoundException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReflexHttpServerTest {

  static final String TOKEN = "ab".repeat(32);
  static final String HOSTILE = "<script>alert('x')</script>";

  private final FakeReflexApi api = new FakeReflexApi();
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private ReflexHttpServer server;
  private String base;

  @BeforeEach
  void start() {
    server =
        new ReflexHttpServer(
            api, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), AdminToken.of(TOKEN));
    server.start();
    base = server.baseUrl();
    ObjectNode plan = JSON.createObjectNode();
    plan.put("incidentId", "inc-9");
    plan.put("alert", HOSTILE);
    plan.put("signature", "high_latency|" + HOSTILE + "|india");
    plan.put("riskLevel", "safe_write");
    plan.putArray("reasoning").add("label said: \"><img src=x onerror=alert(1)>");
    plan.put("playbookId", "pb-restart");
    plan.put("version", 3);
    plan.put("source", "learned");
    plan.put("pendingReview", true);
    plan.put("confidence", 0.8);
    plan.putArray("steps")
        .addObject()
        .put("name", "restart " + HOSTILE)
        .put("module", "ansible.builtin.systemd")
        .put("risk", "safe_write")
        .put("rollback", "start again");
    api.addApproval("apr-1", "inc-9", "good-sig", "PENDING", plan);
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  // ---- POST /api/v1/alerts ---------------------------------------------------------------------

  @Test
  void postAlerts_whenNewAlert_returns202WithIncidents() throws Exception {
    HttpResponse<String> response =
        postJson("/api/v1/alerts", sample("disk-full-checkout-api.json"));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("application/json; charset=utf-8");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("incidents").get(0).path("created").asBoolean()).isTrue();
  }

  @Test
  void postAlerts_whenRedelivered_returns200() throws Exception {
    byte[] body = sample("disk-full-checkout-api.json");
    assertThat(postJson("/api/v1/alerts", body).statusCode()).isEqualTo(202);

    HttpResponse<String> again = postJson("/api/v1/alerts", body);

    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(again.body()).path("incidents").get(0).path("created").asBoolean())
        .isFalse();
  }

  @Test
  void postAlerts_whenMalformedJson_returns400NamingBody() throws Exception {
    HttpResponse<String> response =
        postJson("/api/v1/alerts", bytes("{\"version\": \"4\", \"alerts\": ["));

    assertError(response, 400, "body");
    assertThat(JSON.readTree(response.body()).path("error").asText()).contains("line 1");
  }

  @Test
  void postAlerts_whenLabelHasWrongType_returns400NamingLabel() throws Exception {
    assertError(
        postJson("/api/v1/alerts", sample("invalid/label-value-is-a-number.json")),
        400,
        "alerts[0].labels.port");
  }

  @Test
  void postAlerts_whenAlertsMissing_returns400NamingAlerts() throws Exception {
    assertError(postJson("/api/v1/alerts", sample("invalid/alerts-missing.json")), 400, "alerts");
  }

  @Test
  void postAlerts_whenUnknownVersion_returns400NamingVersion() throws Exception {
    assertError(postJson("/api/v1/alerts", sample("invalid/version-3.json")), 400, "version");
  }

  @Test
  void postAlerts_whenBodyOneByteOver1MiB_returns413() throws Exception {
    byte[] body = new byte[ReflexHttpServer.MAX_BODY_BYTES + 1];
    Arrays.fill(body, (byte) ' ');

    HttpResponse<String> response = postJson("/api/v1/alerts", body);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body())
        .isEqualTo("{\"error\":\"body exceeds 1048576 bytes\",\"field\":\"body\"}");
  }

  @Test
  void postAlerts_whenChunkedBodyOver1MiB_countsBytesAndReturns413() throws Exception {
    byte[] body = new byte[ReflexHttpServer.MAX_BODY_BYTES + 10];
    Arrays.fill(body, (byte) ' ');
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/api/v1/alerts"))
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build();

    HttpResponse<String> response;
    try {
      response = client.send(request, BodyHandlers.ofString());
    } catch (IOException e) {
      // The server may close the connection while the client still streams; then no 413 is read.
      return;
    }
    assertError(response, 413, "body");
  }

  @Test
  void postAlerts_whenBodyExactly1MiB_isParsed() throws Exception {
    byte[] body = new byte[ReflexHttpServer.MAX_BODY_BYTES];
    Arrays.fill(body, (byte) ' ');
    byte[] alert = sample("disk-full-checkout-api.json");
    System.arraycopy(alert, 0, body, 0, alert.length);

    assertThat(postJson("/api/v1/alerts", body).statusCode()).isEqualTo(202);
  }

  @Test
  void postAlerts_whenTextPlain_returns415() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/alerts"))
                .header("Content-Type", "text/plain")
                .POST(BodyPublishers.ofByteArray(sample("disk-full-checkout-api.json"))));

    assertError(response, 415, "Content-Type");
  }

  @Test
  void postAlerts_whenCharsetUtf8_accepts() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/alerts"))
                .header("Content-Type", "application/json; charset=UTF-8")
                .POST(BodyPublishers.ofByteArray(sample("disk-full-checkout-api.json"))));

    assertThat(response.statusCode()).isEqualTo(202);
  }

  @Test
  void postAlerts_whenOtherCharset_returns415() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/alerts"))
                .header("Content-Type", "application/json; charset=iso-8859-1")
                .POST(BodyPublishers.ofByteArray(sample("disk-full-checkout-api.json"))));

    assertError(response, 415, "Content-Type");
  }

  // ---- read-only views -----------------------------------------------------------------------

  @Test
  void getIncidents_afterIngest_listsThemAndHonoursLimit() throws Exception {
    postJson("/api/v1/alerts", sample("two-alerts-high-error-rate.json"));

    JsonNode all = JSON.readTree(get("/api/v1/incidents").body());
    JsonNode one = JSON.readTree(get("/api/v1/incidents?limit=1").body());

    assertThat(all.size()).isEqualTo(2);
    assertThat(one.size()).isEqualTo(1);
  }

  @Test
  void getIncidents_whenLimitInvalid_returns400NamingLimit() throws Exception {
    assertError(get("/api/v1/incidents?limit=abc"), 400, "limit");
    assertError(get("/api/v1/incidents?limit=0"), 400, "limit");
  }

  @Test
  void getIncident_whenKnown_returnsIt() throws Exception {
    postJson("/api/v1/alerts", sample("disk-full-checkout-api.json"));

    HttpResponse<String> response = get("/api/v1/incidents/inc-1");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).path("id").asText()).isEqualTo("inc-1");
  }

  @Test
  void getIncident_whenUnknown_returns404NamingId() throws Exception {
    assertError(get("/api/v1/incidents/inc-404"), 404, "id");
  }

  @Test
  void getPlaybooksAndHealth_returnJson() throws Exception {
    api.addPlaybook(JSON.createObjectNode().put("id", "pb-1"));

    assertThat(JSON.readTree(get("/api/v1/playbooks").body()).get(0).path("id").asText())
        .isEqualTo("pb-1");
    HttpResponse<String> health = get("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("UP");
  }

  @Test
  void anyRoute_whenUnknown_returns404Json() throws Exception {
    HttpResponse<String> response = get("/nope");

    assertError(response, 404, null);
    assertThat(get("/api/v1/incidents/inc-1/extra").statusCode()).isEqualTo(404);
  }

  @Test
  void anyRoute_whenWrongMethod_returns405WithAllow() throws Exception {
    HttpResponse<String> response =
        send(HttpRequest.newBuilder(URI.create(base + "/api/v1/alerts")).GET());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("application/json; charset=utf-8");
  }

  @Test
  void anyRoute_whenApiThrowsUnexpectedly_returns500WithoutStackTrace() throws Exception {
    api.failure = new IllegalStateException("database password=hunter2 exploded");

    HttpResponse<String> response = get("/api/v1/incidents");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("{\"error\":\"internal error\",\"field\":null}");
    assertThat(response.body()).doesNotContain("hunter2").doesNotContain("at dev.reflex");
  }

  @Test
  void anyRoute_whenReflexFailureIsKnown_mapsItToAStatus() throws Exception {
    api.failure = new ConcurrentUpdateException("incident inc-1 changed");
    HttpResponse<String> busy = postJson("/api/v1/alerts", sample("disk-full-checkout-api.json"));
    assertError(busy, 503, null);
    assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");

    api.failure = new PlanRefusedException("plan deletes volumes");
    HttpResponse<String> refused = postOperator("/api/v1/incidents/inc-9/approve", "{}");
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(refused.body()).path("error").asText())
        .isEqualTo("plan deletes volumes");
  }

  @Test
  void anyRoute_whenReflexFailureIsUnmapped_returns500WithoutItsMessage() throws Exception {
    api.failure = new SecretNotFoundException("secret db/password missing");

    HttpResponse<String> response = get("/health");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("{\"error\":\"internal error\",\"field\":null}");
  }

  @Test
  void approvalPage_whenApiThrowsUnexpectedly_returns500HtmlWithoutStackTrace() throws Exception {
    api.failure = new IllegalStateException("boom at dev.reflex.Secret");

    HttpResponse<String> response = get("/approvals/apr-1/ana%40example.com?sig=good-sig");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).doesNotContain("boom").doesNotContain("dev.reflex");
  }

  // ---- approval link -------------------------------------------------------------------------

  @Test
  void approvalPage_whenGet_showsPlanAndDoesNotDecide() throws Exception {
    HttpResponse<String> response = get("/approvals/apr-1/ana%40example.com?sig=good-sig");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(response.body())
        .contains("<form method=\"post\" action=\"/approvals/apr-1/ana%40example.com\">")
        .contains("<input type=\"hidden\" name=\"sig\" value=\"good-sig\">")
        .contains("value=\"approve\"")
        .contains("value=\"reject\"")
        .contains("name=\"reason\"")
        .contains("pending review")
        .contains("safe_write")
        .contains("2026-11-02T09:14:00Z");
    assertThat(api.decisions).isEmpty();
    assertThat(api.approvalStatus("apr-1")).isEqualTo("PENDING");
  }

  @Test
  void approvalPage_whenLabelIsHostile_escapesIt() throws Exception {
    String page = get("/approvals/apr-1/ana%40example.com?sig=good-sig").body();

    assertThat(page).doesNotContain("<script>").doesNotContain("<img");
    assertThat(page).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    assertThat(page).contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
  }

  @Test
  void approvalPage_setsSecurityHeaders() throws Exception {
    HttpResponse<String> response = get("/approvals/apr-1/ana%40example.com?sig=good-sig");

    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(response.headers().firstValue("Content-Security-Policy"))
        .hasValue("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
    assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
  }

  @Test
  void approvalPage_whenSignatureForgedOrMissing_returns403() throws Exception {
    HttpResponse<String> forged = get("/approvals/apr-1/ana%40example.com?sig=forged");
    HttpResponse<String> missing = get("/approvals/apr-1/ana%40example.com");

    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("not valid").contains("Nothing was changed");
    assertThat(missing.statusCode()).isEqualTo(403);
    assertThat(api.approvalStatus("apr-1")).isEqualTo("PENDING");
  }

  @Test
  void approvalPage_whenUnknownExpiredOrDecided_returns404Or410Or409() throws Exception {
    api.addApproval("apr-old", "inc-2", "s2", "EXPIRED", JSON.createObjectNode());
    api.addApproval("apr-done", "inc-3", "s3", "APPROVED", JSON.createObjectNode());

    assertThat(get("/approvals/apr-missing/ana%40example.com?sig=x").statusCode()).isEqualTo(404);
    assertThat(get("/approvals/apr-old/ana%40example.com?sig=s2").statusCode()).isEqualTo(410);
    HttpResponse<String> decided = get("/approvals/apr-done/ana%40example.com?sig=s3");
    assertThat(decided.statusCode()).isEqualTo(409);
    assertThat(decided.body()).contains("already decided");
  }

  @Test
  void approvalPost_whenApprove_decidesOnceAndSecondPostIs409() throws Exception {
    HttpResponse<String> first =
        postForm("/approvals/apr-1/ana%40example.com", "sig=good-sig&decision=approve&approver=Ana+Lee&reason=ok%21");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).contains("Approved");
    assertThat(api.decisions).containsExactly("decide apr-1 true ana@example.com 127.0.0.1 ok!");

    HttpResponse<String> second = postForm("/approvals/apr-1/ana%40example.com", "sig=good-sig&decision=reject");

    assertThat(second.statusCode()).isEqualTo(409);
    assertThat(second.body()).contains("already answered");
    assertThat(api.decisions).hasSize(1);
    assertThat(api.approvalStatus("apr-1")).isEqualTo("APPROVED");
  }

  @Test
  void approvalPost_whenReject_decidesReject() throws Exception {
    HttpResponse<String> response = postForm("/approvals/apr-1/ana%40example.com", "sig=good-sig&decision=reject");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("Rejected");
    assertThat(api.decisions).containsExactly("decide apr-1 false ana@example.com 127.0.0.1 null");
  }

  @Test
  void approvalPost_whenForgedOrNoDecision_changesNothing() throws Exception {
    assertThat(postForm("/approvals/apr-1/ana%40example.com", "sig=forged&decision=approve").statusCode())
        .isEqualTo(403);
    assertThat(postForm("/approvals/apr-1/ana%40example.com", "sig=good-sig&decision=maybe").statusCode())
        .isEqualTo(400);
    assertThat(postForm("/approvals/apr-1/ana%40example.com", "decision=approve").statusCode()).isEqualTo(403);
    assertThat(api.decisions).isEmpty();
  }

  @Test
  void approvalLink_whenAddressChangedOrMissing_isRefusedAndChangesNothing() throws Exception {
    assertThat(get("/approvals/apr-1/bob%40example.com?sig=good-sig").statusCode()).isEqualTo(403);
    assertThat(postForm("/approvals/apr-1/bob%40example.com", "sig=good-sig&decision=approve").statusCode())
        .isEqualTo(403);
    assertThat(get("/approvals/apr-1?sig=good-sig").statusCode()).as("the old link shape").isEqualTo(404);
    assertThat(api.decisions).isEmpty();
  }

  @Test
  void approvalPost_whenNotAForm_returns415() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(base + "/approvals/apr-1/ana%40example.com"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"sig\":\"good-sig\",\"decision\":\"approve\"}")));

    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(api.decisions).isEmpty();
  }

  // ---- operator API --------------------------------------------------------------------------

  @Test
  void operatorApprove_withoutOrWithWrongToken_returns401() throws Exception {
    HttpResponse<String> none = postJson("/api/v1/incidents/inc-9/approve", bytes("{}"));
    HttpResponse<String> wrong =
        send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/incidents/inc-9/approve"))
                .header("Authorization", "Bearer " + "cd".repeat(32))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{}")));

    assertError(none, 401, "Authorization");
    assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
    assertError(wrong, 401, "Authorization");
    assertThat(api.decisions).isEmpty();
  }

  @Test
  void operatorApprove_withToken_decidesAsOperator() throws Exception {
    HttpResponse<String> response =
        postOperator(
            "/api/v1/incidents/inc-9/approve", "{\"reason\":\"looks right\",\"actor\":\"sam\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("status").asText()).isEqualTo("APPROVED");
    assertThat(body.has("signature")).isFalse();
    assertThat(api.decisions).containsExactly("operator inc-9 true sam looks right");
  }

  @Test
  void operatorReject_withoutReason_returns400() throws Exception {
    assertError(postOperator("/api/v1/incidents/inc-9/reject", "{}"), 400, "reason");
    assertThat(api.decisions).isEmpty();
  }

  @Test
  void operatorReject_withReason_rejects() throws Exception {
    HttpResponse<String> response =
        postOperator("/api/v1/incidents/inc-9/reject", "{\"reason\":\"not now\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(api.decisions).containsExactly("operator inc-9 false operator not now");
  }

  @Test
  void operatorApprove_whenAlreadyDecidedOrUnknown_returns409Or404() throws Exception {
    postOperator("/api/v1/incidents/inc-9/approve", "{}");

    assertError(postOperator("/api/v1/incidents/inc-9/approve", "{}"), 409, "id");
    assertError(postOperator("/api/v1/incidents/inc-nope/approve", "{}"), 404, "id");
  }

  // ---- admin token -----------------------------------------------------------------------------

  @Test
  void adminToken_whenFirstStart_createsOwnerOnlyFileAndReusesIt() throws Exception {
    Path dir = Files.createTempDirectory("reflex-token-").resolve("data");

    AdminToken first = AdminToken.loadOrCreate(dir);
    AdminToken second = AdminToken.loadOrCreate(dir);

    assertThat(first.value()).matches("[0-9a-f]{64}");
    assertThat(second.value()).isEqualTo(first.value());
    assertThat(AdminToken.read(dir).value()).isEqualTo(first.value());
    assertThat(first.toString()).doesNotContain(first.value());
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(AdminToken.file(dir))))
          .isEqualTo("rw-------");
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("admin-token");
    }
  }

  @Test
  void adminToken_matchesOnlyTheBearerHeaderOfItsValue() {
    AdminToken token = AdminToken.of(TOKEN);

    assertThat(token.matchesAuthorization("Bearer " + TOKEN)).isTrue();
    assertThat(token.matchesAuthorization("bearer " + TOKEN)).isTrue();
    assertThat(token.matchesAuthorization(TOKEN)).isFalse();
    assertThat(token.matchesAuthorization("Bearer " + TOKEN.substring(1))).isFalse();
    assertThat(token.matchesAuthorization(null)).isFalse();
  }

  // ---- helpers -------------------------------------------------------------------------------

  private void assertError(HttpResponse<String> response, int status, String field)
      throws IOException {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("application/json; charset=utf-8");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("error").asText()).isNotBlank();
    if (field == null) {
      assertThat(body.get("field").isNull()).isTrue();
    } else {
      assertThat(body.path("field").asText()).isEqualTo(field);
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  private HttpResponse<String> postJson(String path, byte[] body) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofByteArray(body)));
  }

  private HttpResponse<String> postOperator(String path, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(body)));
  }

  private HttpResponse<String> postForm(String path, String form) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(BodyPublishers.ofString(form)));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.timeout(Duration.ofSeconds(20)).build(), BodyHandlers.ofString());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A file under samples/alertmanager at the repository root. */
  static byte[] sample(String name) throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("samples/alertmanager"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IOException("samples/alertmanager not found above the working directory");
    }
    return Files.readAllBytes(dir.resolve("samples/alertmanager").resolve(name));
  }
}
