package dev.reflex.local.review;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.local.app.EmbeddedReflex;
import dev.reflex.local.http.AdminToken;
import dev.reflex.local.http.ReflexHttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review routes on a running embedded server, and the CLI using them: {@code ./reflex pr} and
 * {@code ./reflex sync} work while the server owns the data folder.
 */
class ReviewRoutesIT {

  static final Path HOME = Path.of("../..").toAbsolutePath().normalize();

  @TempDir Path data;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private EmbeddedReflex reflex;
  private ReflexHttpServer server;
  private String base;
  private String token;

  @BeforeEach
  void start() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    base = "http://127.0.0.1:" + port;
    reflex = EmbeddedReflex.start(EmbeddedReflex.Options.defaults(HOME, data, base)
        .withConsole(new PrintStream(PrintStream.nullOutputStream())));
    AdminToken admin = AdminToken.loadOrCreate(data);
    token = admin.value();
    server = new ReflexHttpServer(reflex, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), admin);
    server.start();
    // an alert no playbook matches: its draft arrives as pull request pr-1
    HttpResponse<String> ingested = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/alerts"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(
            Files.readAllBytes(HOME.resolve("samples/alertmanager/two-alerts-high-error-rate.json")))));
    assertThat(ingested.statusCode()).isEqualTo(202);
    for (JsonNode incident : json.readTree(ingested.body()).path("incidents")) {
      reflex.awaitWorkflow(incident.path("id").asText(), Duration.ofSeconds(60));
    }
  }

  @AfterEach
  void stop() {
    server.stop();
    reflex.close();
  }

  @Test
  void pulls_listAndShowTheDraftsPullRequestWithItsReviewPage() throws Exception {
    JsonNode list = json.readTree(send(get("/api/v1/pulls")).body());
    JsonNode one = json.readTree(send(get("/api/v1/pulls/pr-1")).body());

    assertThat(list).isNotEmpty();
    assertThat(list.get(0).path("id").asText()).isEqualTo("pr-1");
    assertThat(list.get(0).path("state").asText()).isEqualTo("open");
    assertThat(list.get(0).path("branch").asText()).startsWith("learned/");
    assertThat(one.path("body").asText()).contains("### Validation gate: passed");
    assertThat(send(get("/api/v1/pulls/pr-404")).statusCode()).isEqualTo(404);
  }

  @Test
  void merge_withoutTheAdminToken_is401AndMergesNothing() throws Exception {
    HttpResponse<String> refused = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/pulls/pr-1/merge"))
        .POST(HttpRequest.BodyPublishers.noBody()));
    HttpResponse<String> forged = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/sync"))
        .header("Authorization", "Bearer " + "0".repeat(64)).POST(HttpRequest.BodyPublishers.noBody()));

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(json.readTree(send(get("/api/v1/pulls/pr-1")).body()).path("state").asText()).isEqualTo("open");
  }

  @Test
  void merge_withTheAdminToken_activatesTheDraftAndASecondMergeIs409() throws Exception {
    HttpResponse<String> merged = send(operator("/api/v1/pulls/pr-1/merge", "{}"));

    assertThat(merged.statusCode()).as(merged.body()).isEqualTo(200);
    JsonNode answer = json.readTree(merged.body());
    assertThat(answer.path("pullRequest").path("state").asText()).isEqualTo("merged");
    assertThat(answer.path("tags").get(0).asText()).contains("/v1.0.0");
    String id = answer.path("tags").get(0).asText().split("/v")[0];
    assertThat(reflex.playbookStore().find(id).orElseThrow().status()).isEqualTo(PlaybookStatus.ACTIVE);
    assertThat(send(operator("/api/v1/pulls/pr-1/merge", "{}")).statusCode()).isEqualTo(409);
    assertThat(reflex.audit("system")).filteredOn(e -> e.path("action").asText().equals("review.merged"))
        .singleElement().satisfies(entry -> {
          assertThat(entry.path("actor").asText()).isEqualTo("operator");
          assertThat(entry.path("detail").asText()).startsWith("pull request pr-1 (learned/")
              .contains("merged; sync: commit ").contains(id + "@1.0.0: active");
        });
  }

  @Test
  void cli_whileTheServerRuns_usesItsApiForPrAndSync() {
    Map<String, String> env = Map.of("REFLEX_URL", base);

    String dir = data.toString();
    Result list = run(out -> ReviewCommands.pr(HOME, args("list", "--data-dir", dir), env, out, out));
    Result close = run(out -> ReviewCommands.pr(HOME, args("close", "pr-1", "--reason", "not the fix",
        "--data-dir", dir), env, out, out));
    Result sync = run(out -> ReviewCommands.sync(HOME, args("--data-dir", dir), env, out, out));
    Result missing = run(out -> ReviewCommands.pr(HOME, args("show", "pr-404", "--data-dir", dir), env, out, out));

    assertThat(list.exit()).as(list.text()).isZero();
    assertThat(list.text()).contains("pr-1", "open", "learned/");
    assertThat(close.exit()).as(close.text()).isZero();
    assertThat(close.text()).contains("closed pr-1", "its draft is rejected");
    assertThat(sync.exit()).as(sync.text()).isZero();
    assertThat(sync.text()).contains("synced with ", "nothing to change");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.text()).contains("not found");
    assertThat(reflex.audit("system")).extracting(e -> e.path("action").asText())
        .as("the close is a configuration change; a sync that changed nothing is not").contains("review.closed")
        .doesNotContain("config.synced");
    assertThat(reflex.audit("system")).filteredOn(e -> e.path("action").asText().equals("review.closed"))
        .singleElement().satisfies(entry -> assertThat(entry.path("detail").asText())
            .startsWith("pull request pr-1 (learned/").contains("closed: not the fix"));
  }

  private record Result(int exit, String text) {}

  private static Result run(java.util.function.ToIntFunction<PrintStream> command) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int exit = command.applyAsInt(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    return new Result(exit, buffer.toString(StandardCharsets.UTF_8));
  }

  private static String[] args(String... parts) {
    return parts;
  }

  private HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).GET();
  }

  private HttpRequest.Builder operator(String path, String body) {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
