package dev.reflex.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.domain.model.Playbook;
import dev.reflex.local.app.EmbeddedReflex;
import dev.reflex.local.http.AdminToken;
import dev.reflex.local.http.ReflexHttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed scenario, played through the real state machine on the embedded default: payment-api
 * P99 latency 1850 ms in india. Day 1 nothing matches, so Reflex consults, learns a playbook,
 * asks for approval (approved through the real POST of the signed link), executes (dry-run), and
 * once Alertmanager reports the alert resolved (the demo sends that notification, as a real
 * Alertmanager does) learns from the verified success. Day 8 the same anomaly recurs and the
 * learned playbook matches: no consultation at all.
 */
public final class Demo {

  /** One row of the timeline table. */
  public record Day(
      String day,
      String incidentId,
      String signature,
      String match,
      String consult,
      String approval,
      String execution,
      String alert,
      String confidence,
      long millis,
      String status) {}

  /** What the demo observed; the end-to-end test asserts on it. */
  public record Result(List<Day> days, Playbook learned, int consultations, int exitCode) {}

  /** The demo checks each second whether the alert resolved, for at most a minute. */
  static final Duration RESOLUTION_CHECK = Duration.ofSeconds(1);
  static final int RESOLUTION_CHECKS = 60;

  private final Path home;
  private final PrintStream out;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public Demo(Path home, PrintStream out) {
    this.home = home;
    this.out = out;
  }

  public Result run(Path dataDir) throws IOException, InterruptedException {
    int port = freePort();
    String baseUrl = "http://127.0.0.1:" + port;
    EmbeddedReflex.Options options = EmbeddedReflex.Options.defaults(home, dataDir, baseUrl)
        .withConsole(new PrintStream(PrintStream.nullOutputStream()))
        .withResolutionChecks(RESOLUTION_CHECK, RESOLUTION_CHECKS);
    out.println("Reflex demo: the seed scenario through statemachines/remediation.asl.json");
    out.println("data folder: " + dataDir);
    try (EmbeddedReflex reflex = EmbeddedReflex.start(options)) {
      ReflexHttpServer server = new ReflexHttpServer(
          reflex, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), AdminToken.loadOrCreate(dataDir));
      server.start();
      try {
        List<Day> days = new ArrayList<>();
        days.add(playDay(reflex, baseUrl, "Day 1", "seed-day1-payment-api-latency.json", "seed-day1-resolved.json"));
        review(reflex);
        days.add(playDay(reflex, baseUrl, "Day 8", "seed-day8-payment-api-latency.json", "seed-day8-resolved.json"));
        Playbook learned = reflex.playbookStore().list().stream()
            .filter(p -> p.source() != dev.reflex.domain.model.PlaybookSource.CATALOG)
            .findFirst().orElse(null);
        printTable(days);
        if (learned != null) {
          out.printf("%nLearned playbook %s@%s (%s) on branch %s, commit %s%n", learned.id(), learned.version(),
              learned.status(), learned.branch(), shortSha(learned.commitSha()));
          out.printf("  confidence %.2f, %d successes, %d failures%n", learned.stats().confidence(),
              learned.stats().successCount(), learned.stats().failureCount());
        }
        out.printf("Consultations: %d (day 8 matched the learned playbook, no consult)%n", reflex.consultations());
        boolean ok = learned != null
            && reflex.consultations() == 1
            && days.stream().allMatch(d -> d.status().equals("RESOLVED"))
            && days.get(1).match().startsWith("learned");
        out.println(ok ? "Demo finished: both incidents resolved." : "Demo did NOT go as expected (see above).");
        return new Result(days, learned, reflex.consultations(), ok ? 0 : 1);
      } finally {
        server.stop();
      }
    }
  }

  /** Between the days a person reviews the drafted playbook's pull request and merges it. */
  private void review(EmbeddedReflex reflex) {
    Playbook draft = reflex.playbookStore().list().stream()
        .filter(p -> p.source() != dev.reflex.domain.model.PlaybookSource.CATALOG).findFirst().orElse(null);
    if (draft == null || draft.branch() == null) {
      out.println("Review: no drafted playbook to review");
      return;
    }
    var pr = reflex.review().pullRequests().findOpen(draft.branch());
    if (pr.isEmpty()) {
      out.println("Review: no pull request is open for " + draft.branch());
      return;
    }
    out.printf("Review: pull request %s opened for %s -> main: %s%n", pr.get().id(), pr.get().branch(),
        pr.get().title());
    var merged = reflex.review().merge(pr.get().id());
    Playbook after = reflex.playbookStore().find(draft.id()).orElse(draft);
    out.printf("Review: a reviewer merged %s; tagged %s; %s is now %s at %s%n", merged.pullRequest().id(),
        String.join(", ", merged.tags()), after.id(), after.status(), after.version());
  }

  private Day playDay(EmbeddedReflex reflex, String baseUrl, String day, String sample, String resolvedSample)
      throws IOException, InterruptedException {
    long started = System.nanoTime();
    HttpResponse<String> ingest = postAlert(baseUrl, sample);
    if (ingest.statusCode() != 202) {
      throw new IllegalStateException(day + ": ingest answered " + ingest.statusCode() + ": " + ingest.body());
    }
    String incidentId = reflex.json().readTree(ingest.body()).path("incidents").path(0).path("id").asText();
    reflex.awaitWorkflow(incidentId, Duration.ofSeconds(30));
    JsonNode incident = reflex.incident(incidentId);
    // the playbook's confidence when the plan was put to a person, before the outcome moved it
    double before = confidenceOf(reflex, incident);
    String approval = "not required";
    if ("AWAITING_APPROVAL".equals(incident.path("status").asText())) {
      approval = approveThroughLink(reflex, incidentId);
      reflex.awaitWorkflow(incidentId, Duration.ofSeconds(30));
    }
    // the commands ran; the workflow now waits for the alert to resolve before it learns
    String alert = "still firing";
    JsonNode executed = reflex.incident(incidentId).path("execution");
    if (executed.path("success").asBoolean()) {
      HttpResponse<String> resolved = postAlert(baseUrl, resolvedSample);
      if (resolved.statusCode() != 200) {
        throw new IllegalStateException(day + ": the resolved notification answered " + resolved.statusCode());
      }
      out.printf("%s: Alertmanager sent \"resolved\" for %s after the dry-run; the workflow verifies it before"
          + " learning%n", day, incident.path("alertname").asText());
    }
    reflex.awaitWorkflowEnd(incidentId, Duration.ofSeconds(RESOLUTION_CHECKS + 30));
    incident = reflex.incident(incidentId);
    if (!incident.path("alertResolvedAt").isNull() && incident.path("alertResolvedAt").isTextual()) {
      alert = "resolved (verified)";
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    JsonNode match = incident.path("match");
    String matchText = match.path("matched").asBoolean()
        ? match.path("source").asText().toLowerCase(java.util.Locale.ROOT) + " " + incident.path("playbookId").asText()
            + " (" + match.path("confidence").asText() + ", by " + match.path("matchedBy").asText().toLowerCase(java.util.Locale.ROOT) + ")"
        : "none";
    String consult = incident.path("consult").isObject()
        ? incident.path("consult").path("consultant").asText() + " -> " + incident.path("playbookId").asText()
        : "no consult";
    JsonNode execution = incident.path("execution");
    String executionText = execution.isObject()
        ? execution.path("mode").asText().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " "
            + (execution.path("success").asBoolean() ? "success" : "failure")
            + " (" + execution.path("notSimulated").size() + " not simulated)"
        : "none";
    double after = confidenceOf(reflex, incident);
    return new Day(day, incidentId, incident.path("signature").asText(), matchText, consult, approval,
        executionText, alert, String.format("%.2f -> %.2f", before, after), millis, incident.path("status").asText());
  }

  private HttpResponse<String> postAlert(String baseUrl, String sample) throws IOException, InterruptedException {
    byte[] body = Files.readAllBytes(home.resolve("samples").resolve("alertmanager").resolve(sample));
    return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/alerts"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static double confidenceOf(EmbeddedReflex reflex, JsonNode incident) {
    String id = incident.path("playbookId").asText(null);
    if (id == null) {
      return Double.NaN;
    }
    return reflex.playbookStore().find(id).map(p -> p.stats().confidence()).orElse(0.0);
  }

  /** Opens the signed link like a person would: GET the page, then POST its Approve button. */
  private String approveThroughLink(EmbeddedReflex reflex, String incidentId) throws IOException, InterruptedException {
    Path outbox = reflex.options().dataDir().resolve("outbox").resolve("approvals.jsonl");
    String url = null;
    for (String line : Files.readAllLines(outbox)) {
      JsonNode notice = reflex.json().readTree(line);
      if (incidentId.equals(notice.path("incidentId").asText())) {
        url = notice.path("url").asText();
      }
    }
    if (url == null) {
      throw new IllegalStateException("no approval link was sent for " + incidentId);
    }
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (page.statusCode() != 200) {
      throw new IllegalStateException("approval page answered " + page.statusCode());
    }
    URI link = URI.create(url);
    String sig = link.getQuery().replaceFirst("^.*sig=", "").replaceFirst("&.*$", "");
    String form = "sig=" + URLEncoder.encode(URLDecode(sig), StandardCharsets.UTF_8)
        + "&decision=approve&approver=" + URLEncoder.encode("sre-on-call@example.com", StandardCharsets.UTF_8)
        + "&reason=" + URLEncoder.encode("demo: plan reviewed", StandardCharsets.UTF_8);
    HttpResponse<String> decided = http.send(HttpRequest.newBuilder(URI.create(link.getScheme() + "://"
            + link.getAuthority() + link.getPath()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    if (decided.statusCode() != 200) {
      throw new IllegalStateException("approval POST answered " + decided.statusCode());
    }
    return "approved (GET page, POST link)";
  }

  private static String URLDecode(String value) {
    return java.net.URLDecoder.decode(value, StandardCharsets.UTF_8);
  }

  private void printTable(List<Day> days) {
    String[] headers = {"", "signature", "match", "consult", "approval", "execution", "alert", "confidence", "time",
        "status"};
    List<String[]> rows = new ArrayList<>();
    for (Day d : days) {
      rows.add(new String[] {d.day(), d.signature(), d.match(), d.consult(), d.approval(), d.execution(), d.alert(),
          d.confidence(), d.millis() + " ms", d.status()});
    }
    out.println();
    out.print(Table.render(headers, rows));
  }

  private static String shortSha(String sha) {
    return sha == null ? "-" : sha.substring(0, Math.min(12, sha.length()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
