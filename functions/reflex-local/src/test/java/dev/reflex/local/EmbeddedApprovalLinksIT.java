package dev.reflex.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reflex.local.app.EmbeddedReflex;
import dev.reflex.local.http.AdminToken;
import dev.reflex.local.http.ReflexHttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approval links on the embedded server, end to end over real HTTP: the workflow pauses on the real
 * ASL, each approver gets a link of their own in the outbox, and the links resist forging,
 * replaying, expiry, use by another approver and scanners that prefetch them. The policy asks two of
 * three approvers for critical_write.
 */
class EmbeddedApprovalLinksIT {

  static final Path REPO = Path.of("../..").toAbsolutePath().normalize();
  static final List<String> APPROVERS = List.of("alice@example.com", "bob@example.com", "carol@example.com");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path home;
  @TempDir Path dataDir;

  record Running(EmbeddedReflex reflex, ReflexHttpServer server) implements AutoCloseable {
    @Override
    public void close() {
      server.stop();
      reflex.close();
    }
  }

  /** A Reflex home whose default policy names three approvers and asks two for critical_write. */
  private Running start(Duration approvalTimeout) throws IOException {
    copy(REPO.resolve("statemachines"), home.resolve("statemachines"));
    copy(REPO.resolve("playbook-repo-template"), home.resolve("playbook-repo-template"));
    Path policy = home.resolve("playbook-repo-template/policies/default.yml");
    String yaml = Files.readString(policy);
    int approvers = yaml.indexOf("\napprovers:");
    int after = yaml.indexOf("\n# A pending approval expires");
    Files.writeString(policy, yaml.substring(0, approvers) + """

        approvers:
          - email: alice@example.com
          - email: bob@example.com
          - email: carol@example.com
        approvals_required: 2
        """ + yaml.substring(after));
    int port;
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    EmbeddedReflex reflex = EmbeddedReflex.start(EmbeddedReflex.Options.defaults(home, dataDir,
            "http://127.0.0.1:" + port).withApprovalTimeout(approvalTimeout)
        .withConsole(new PrintStream(PrintStream.nullOutputStream())));
    ReflexHttpServer server = new ReflexHttpServer(reflex, new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
        AdminToken.loadOrCreate(dataDir));
    server.start();
    return new Running(reflex, server);
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      files.forEach(file -> {
        try {
          Path target = to.resolve(from.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(target);
          } else {
            Files.copy(file, target);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  /** Opens a crash-looping incident (a critical_write rollback) and waits until it asks for approval. */
  private String pausedIncident(EmbeddedReflex reflex) throws IOException {
    return pausedIncident(reflex, "");
  }

  private String pausedIncident(EmbeddedReflex reflex, String annotation) throws IOException {
    JsonNode alert = JSON.readTree(REPO.resolve("samples/alertmanager/crash-loop-orders-api.json").toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) alert.path("alerts").get(0).path("labels"))
        .put("service", "orders-api");
    if (!annotation.isEmpty()) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) alert.path("alerts").get(0).path("annotations"))
          .put("runbook_note", annotation);
    }
    byte[] body = JSON.writeValueAsBytes(alert);
    String id = reflex.ingest(body).response().path("incidents").get(0).path("id").asText();
    reflex.awaitWorkflow(id, Duration.ofSeconds(60));
    assertThat(reflex.incident(id).path("status").asText()).isEqualTo("AWAITING_APPROVAL");
    return id;
  }

  /** Each approver's link for the incident, from the outbox. */
  private Map<String, String> links(String incidentId) throws IOException {
    Map<String, String> links = new LinkedHashMap<>();
    for (String line : Files.readAllLines(dataDir.resolve("outbox/approvals.jsonl"))) {
      JsonNode notice = JSON.readTree(line);
      if (notice.path("incidentId").asText().equals(incidentId)) {
        links.put(notice.path("approver").asText(), notice.path("url").asText());
      }
    }
    return links;
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("User-Agent", "Mail-Scanner/1.0").GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The confirmation page's form, posted to the link's own path. */
  private HttpResponse<String> post(String url, String decision) throws Exception {
    URI link = URI.create(url);
    String form = link.getRawQuery() + "&decision=" + decision + "&reason=checked+the+plan";
    return http.send(HttpRequest.newBuilder(URI.create(link.getScheme() + "://" + link.getRawAuthority()
            + link.getRawPath()))
        .header("Content-Type", "application/x-www-form-urlencoded").header("User-Agent", "Firefox/140")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String withSig(String url, String sig) {
    return url.replaceFirst("sig=[^&]*", "sig=" + sig);
  }

  private static String status(EmbeddedReflex reflex, String incidentId) {
    return reflex.incident(incidentId).path("status").asText();
  }

  @Test
  void twoOfThree_getPrefetchForgedWrongApproverAndReplay_onlyTwoDistinctApprovalsResume() throws Exception {
    try (Running running = start(Duration.ofHours(1))) {
      EmbeddedReflex reflex = running.reflex();
      String id = pausedIncident(reflex);
      Map<String, String> links = links(id);
      assertThat(links.keySet()).containsExactlyElementsOf(APPROVERS);
      assertThat(reflex.incident(id).path("approval").path("status").asText()).isEqualTo("PENDING");
      String approvalId = reflex.incident(id).path("approval").path("id").asText();
      String evidence = Files.readString(dataDir.resolve("outbox").resolve(approvalId).resolve("alice@example.com.txt"));
      assertThat(evidence).contains("critical_write", "2 of 3", "Dry run:", "Could not be simulated:",
          "Similar past incidents:", "Targets (blast radius):", links.get("alice@example.com"))
          .doesNotContain(links.get("bob@example.com"));

      // a mail scanner opens every link: pages, no decision
      for (String url : links.values()) {
        HttpResponse<String> page = get(url);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\"", "0 of 2 needed");
      }
      assertThat(status(reflex, id)).isEqualTo("AWAITING_APPROVAL");

      // forged, and Alice's signature under Bob's address
      String alice = links.get("alice@example.com");
      assertThat(get(withSig(alice, "AAAA")).statusCode()).isEqualTo(403);
      assertThat(post(withSig(alice, "AAAA"), "approve").statusCode()).isEqualTo(403);
      String aliceSigAsBob = alice.replace("alice%40example.com", "bob%40example.com");
      assertThat(get(aliceSigAsBob).statusCode()).isEqualTo(403);
      assertThat(post(aliceSigAsBob, "approve").statusCode()).isEqualTo(403);
      assertThat(post(alice.replace("alice%40example.com", "mallory%40evil.example"), "approve").statusCode())
          .isEqualTo(403);

      // Alice approves: one of two, the workflow keeps waiting; her link is spent
      HttpResponse<String> first = post(alice, "approve");
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.body()).contains("1 of 2 approvals; waiting for 1 more");
      reflex.awaitWorkflow(id, Duration.ofSeconds(10));
      assertThat(status(reflex, id)).isEqualTo("AWAITING_APPROVAL");
      assertThat(post(alice, "approve").statusCode()).as("replayed").isEqualTo(409);
      assertThat(get(alice).statusCode()).as("answered").isEqualTo(409);

      // Carol approves: two distinct approvers, the task token is released and the plan runs
      HttpResponse<String> second = post(links.get("carol@example.com"), "approve");
      assertThat(second.statusCode()).isEqualTo(200);
      assertThat(second.body()).contains("Approved: the remediation continues.");
      reflex.awaitWorkflow(id, Duration.ofSeconds(60));
      assertThat(status(reflex, id)).isNotIn("AWAITING_APPROVAL", "APPROVED", "REJECTED");
      assertThat(reflex.incident(id).path("execution").isObject()).isTrue();
      assertThat(post(links.get("bob@example.com"), "reject").statusCode()).as("after the decision").isEqualTo(409);

      List<String> votes = new ArrayList<>();
      for (JsonNode entry : reflex.audit(id)) {
        if (entry.path("action").asText().startsWith("approval.")) {
          votes.add(entry.path("action").asText() + " " + entry.path("actor").asText());
        }
      }
      assertThat(votes).containsExactly("approval.requested reflex", "approval.approved alice@example.com",
          "approval.approved carol@example.com");
      assertThat(reflex.audit(id)).filteredOn(e -> e.path("actor").asText().equals("alice@example.com"))
          .singleElement().satisfies(e -> assertThat(e.path("detail").asText())
              .contains("link from 127.0.0.1 (Firefox/140)", "checked the plan"));
    }
  }

  @Test
  void oneRejection_failsTheTaskAndNothingRuns() throws Exception {
    try (Running running = start(Duration.ofHours(1))) {
      EmbeddedReflex reflex = running.reflex();
      String id = pausedIncident(reflex);

      HttpResponse<String> rejected = post(links(id).get("bob@example.com"), "reject");

      assertThat(rejected.statusCode()).isEqualTo(200);
      assertThat(rejected.body()).contains("Rejected: nothing will run.");
      reflex.awaitWorkflow(id, Duration.ofSeconds(60));
      assertThat(status(reflex, id)).isEqualTo("REJECTED");
      assertThat(reflex.incident(id).path("execution").isObject()).isFalse();
      assertThat(reflex.incident(id).path("workflow").path("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(reflex.audit(id)).extracting(e -> e.path("action").asText())
          .contains("approval.rejected", "workflow.failed");
    }
  }

  @Test
  void plantedSecret_inAnAnnotation_isInNoApprovalMessagePageApprovalItemOrAuditEntry() throws Exception {
    String planted = "Pl4nted-S3cret-" + Long.toHexString(System.nanoTime());
    try (Running running = start(Duration.ofHours(1))) {
      EmbeddedReflex reflex = running.reflex();
      String id = pausedIncident(reflex, "db connection: password=" + planted + " (do not share)");
      String alice = links(id).get("alice@example.com");

      StringBuilder seen = new StringBuilder();
      try (Stream<Path> outbox = Files.walk(dataDir.resolve("outbox"))) {
        for (Path file : outbox.filter(Files::isRegularFile).toList()) {
          seen.append(Files.readString(file));
        }
      }
      seen.append(get(alice).body()).append(post(alice, "approve").body());
      reflex.awaitWorkflow(id, Duration.ofSeconds(60));
      reflex.dynamo().client().scan(r -> r.tableName("reflex-approvals")).items()
          .forEach(item -> seen.append(item));
      reflex.audit(id).forEach(entry -> seen.append(entry));

      assertThat(seen.toString()).contains("alice@example.com").doesNotContain(planted);
    }
  }

  @Test
  void expiredLink_isRefusedWithGone() throws Exception {
    try (Running running = start(Duration.ofSeconds(3))) {
      EmbeddedReflex reflex = running.reflex();
      String id = pausedIncident(reflex);
      String alice = links(id).get("alice@example.com");

      Thread.sleep(3_500);

      assertThat(get(alice).statusCode()).isEqualTo(410);
      assertThat(post(alice, "approve").statusCode()).isEqualTo(410);
      reflex.awaitWorkflow(id, Duration.ofSeconds(60));
      assertThat(status(reflex, id)).isNotIn("APPROVED", "RESOLVED");
    }
  }
}
