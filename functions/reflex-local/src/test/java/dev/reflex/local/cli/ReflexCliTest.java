package dev.reflex.local.cli;

import static dev.reflex.local.http.FakeReflexApi.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.local.http.AdminToken;
import dev.reflex.local.http.FakeReflexApi;
import dev.reflex.local.http.ReflexHttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReflexCliTest {

  @TempDir Path dataDir;

  private final FakeReflexApi api = new FakeReflexApi();
  private ReflexHttpServer server;
  private String url;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void start() {
    server =
        new ReflexHttpServer(
            api,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            AdminToken.loadOrCreate(dataDir));
    server.start();
    url = server.baseUrl();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void usage_listsEveryCommand() {
    assertThat(ReflexCli.usage())
        .contains("demo")
        .contains("serve [--port 8080] [--data-dir .reflex]")
        .contains("ingest FILE|-")
        .contains("incidents")
        .contains("show ID")
        .contains("approve ID")
        .contains("reject ID --reason TEXT")
        .contains("playbooks")
        .contains("bench")
        .contains("validate");
  }

  @Test
  void run_whenNoArgumentsOrUnknownCommand_exits2WithUsage() {
    assertThat(run()).isEqualTo(2);
    assertThat(err()).contains("Usage: ./reflex");
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err()).contains("unknown command: frobnicate");
  }

  @Test
  void help_printsUsageAndExits0() {
    assertThat(run("help")).isEqualTo(0);
    assertThat(out()).contains("Usage: ./reflex");
  }

  @Test
  void ingest_whenFileHasNewAlerts_printsIncidents() throws IOException {
    int code = run("ingest", sample("two-alerts-high-error-rate.json").toString(), "--url", url);

    assertThat(code).isEqualTo(0);
    assertThat(out())
        .contains("inc-1")
        .contains("inc-2")
        .contains("sig-HighErrorRate")
        .contains("OPEN")
        .contains("2 new incidents opened");
  }

  @Test
  void ingest_whenRedelivered_saysNothingNew() throws IOException {
    String file = sample("disk-full-checkout-api.json").toString();
    run("ingest", file, "--url", url);
    out.reset();

    assertThat(run("ingest", file, "--url", url)).isEqualTo(0);
    assertThat(out()).contains("already known");
  }

  @Test
  void ingest_fromStdinWithUrlFromEnvironment_works() throws IOException {
    byte[] body = Files.readAllBytes(sample("disk-full-checkout-api.json"));
    ReflexCli cli =
        new ReflexCli(
            Map.of("REFLEX_URL", url + "/"),
            new ByteArrayInputStream(body),
            Duration.ofSeconds(20));

    int code = cli.run(new String[] {"ingest", "-"}, print(out), print(err));

    assertThat(code).isEqualTo(0);
    assertThat(out()).contains("1 new incident opened");
  }

  @Test
  void ingest_whenBodyInvalid_printsFieldAndExits1() throws IOException {
    int code = run("ingest", sample("invalid/version-3.json").toString(), "--url", url);

    assertThat(code).isEqualTo(1);
    assertThat(err()).startsWith("reflex: invalid: version: ").doesNotContain("Exception");
    assertThat(err().lines().count()).isEqualTo(1);
  }

  @Test
  void ingest_whenFileMissing_exits1() {
    assertThat(run("ingest", dataDir.resolve("nope.json").toString(), "--url", url)).isEqualTo(1);
    assertThat(err()).contains("no such file");
  }

  @Test
  void anyCommand_whenServerNotRunning_saysHowToStartOne() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String nowhere = "http://127.0.0.1:" + port;

    assertThat(run("incidents", "--url", nowhere)).isEqualTo(1);
    assertThat(err().strip())
        .isEqualTo("reflex: no Reflex server at " + nowhere + ": start one with ./reflex serve");
  }

  @Test
  void incidents_printsATable() throws IOException {
    run("ingest", sample("two-alerts-high-error-rate.json").toString(), "--url", url);
    out.reset();

    assertThat(run("incidents", "--url", url, "--limit", "5")).isEqualTo(0);
    List<String> lines = out().lines().toList();
    assertThat(lines.get(0)).startsWith("ID").contains("STATUS").contains("SIGNATURE");
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).startsWith("inc-2");
  }

  @Test
  void incidents_whenLimitInvalid_exits2() {
    assertThat(run("incidents", "--url", url, "--limit", "x")).isEqualTo(2);
  }

  @Test
  void show_printsStatusSignatureDecisionApprovalExecutionAndHistory() {
    api.addIncident(detail());

    assertThat(run("show", "inc-7", "--url", url)).isEqualTo(0);
    assertThat(out())
        .contains("Incident inc-7  EXECUTING")
        .contains("high_latency|payment-api|india")
        .contains("playbook pb-restart version 3 (catalog), confidence 0.92")
        .contains("Consult")
        .contains("allowed, needs approval, risk safe_write")
        .contains("- restart is reversible")
        .contains("apr-7 APPROVED")
        .contains("decided by  ana")
        .contains("1. restart payment-api  safe_write  SIMULATED")
        .contains("  ExecutionStarted\n")
        .contains("Match playbook: TaskStateEntered TaskSucceeded TaskStateExited");
  }

  @Test
  void show_whenLabelHoldsTerminalEscapes_printsThemInert() {
    ObjectNode incident = detail();
    ((ObjectNode) incident.path("alert").path("labels"))
        .put("service", "x\u001b[2J\u001b]0;pwned\u0007\nfake line");
    api.addIncident(incident);

    assertThat(run("show", "inc-7", "--url", url)).isEqualTo(0);
    assertThat(out()).doesNotContain("\u001b").doesNotContain("\u0007").contains("\\u001b[2J");
    assertThat(out()).doesNotContain("\nfake line");
  }

  @Test
  void show_whenUnknown_exits1WithOneLine() {
    assertThat(run("show", "inc-404", "--url", url)).isEqualTo(1);
    assertThat(err().strip()).isEqualTo("reflex: not found: id: no incident with this id");
  }

  @Test
  void approve_sendsTheAdminTokenAndPrintsTheNewStatus() {
    api.addApproval("apr-1", "inc-1", "s", "PENDING", JSON.createObjectNode());

    int code =
        run("approve", "inc-1", "--url", url, "--data-dir", dataDir.toString(), "--actor", "sam");

    assertThat(code).isEqualTo(0);
    assertThat(out()).contains("approved").contains("APPROVED");
    assertThat(api.decisions).containsExactly("operator inc-1 true sam null");
  }

  @Test
  void approve_whenAlreadyDecided_exits1() {
    api.addApproval("apr-1", "inc-1", "s", "APPROVED", JSON.createObjectNode());

    assertThat(run("approve", "inc-1", "--url", url, "--data-dir", dataDir.toString()))
        .isEqualTo(1);
    assertThat(err()).startsWith("reflex: conflict: ");
  }

  @Test
  void approve_whenTokenFileMissing_explainsDataDir() throws IOException {
    Path other = Files.createTempDirectory("reflex-none-");

    assertThat(run("approve", "inc-1", "--url", url, "--data-dir", other.toString())).isEqualTo(1);
    assertThat(err()).contains("no admin token at").contains("--data-dir");
  }

  @Test
  void approve_whenTokenIsAnotherServers_exits1NotAuthorised() throws IOException {
    Path other = Files.createTempDirectory("reflex-other-");
    AdminToken.loadOrCreate(other);
    api.addApproval("apr-1", "inc-1", "s", "PENDING", JSON.createObjectNode());

    assertThat(run("approve", "inc-1", "--url", url, "--data-dir", other.toString())).isEqualTo(1);
    assertThat(err()).contains("not authorised");
    assertThat(api.decisions).isEmpty();
  }

  @Test
  void reject_withoutReason_exits2AndSendsNothing() {
    api.addApproval("apr-1", "inc-1", "s", "PENDING", JSON.createObjectNode());

    assertThat(run("reject", "inc-1", "--url", url, "--data-dir", dataDir.toString())).isEqualTo(2);
    assertThat(err()).contains("--reason");
    assertThat(api.decisions).isEmpty();
  }

  @Test
  void reject_withReason_rejects() {
    api.addApproval("apr-1", "inc-1", "s", "PENDING", JSON.createObjectNode());

    int code =
        run(
            "reject",
            "inc-1",
            "--reason=too risky now",
            "--url",
            url,
            "--data-dir",
            dataDir.toString());

    assertThat(code).isEqualTo(0);
    assertThat(out()).contains("rejected").contains("REJECTED");
    assertThat(api.decisions).hasSize(1);
    assertThat(api.decisions.get(0)).startsWith("operator inc-1 false ").endsWith(" too risky now");
  }

  @Test
  void playbooks_printsIdVersionSourceStatusSignatureConfidenceAndCounts() {
    api.addPlaybook(
        JSON.createObjectNode()
            .put("id", "pb-restart")
            .put("version", "3")
            .put("source", "catalog")
            .put("status", "ACTIVE")
            .put("signature", "high_latency|payment-api|india")
            .put("confidence", 0.875)
            .put("successCount", 7)
            .put("failureCount", 1));

    assertThat(run("playbooks", "--url", url)).isEqualTo(0);
    List<String> lines = out().lines().toList();
    assertThat(lines.get(0).split("\\s+"))
        .containsExactly(
            "ID", "VERSION", "SOURCE", "STATUS", "SIGNATURE", "CONFIDENCE", "SUCCESS", "FAILURE");
    assertThat(lines.get(1).split("\\s+"))
        .containsExactly(
            "pb-restart",
            "3",
            "catalog",
            "ACTIVE",
            "high_latency|payment-api|india",
            "0.88",
            "7",
            "1");
  }

  @Test
  void validate_whenGoodOrBad_checksOfflineWithExitCodes() throws IOException {
    assertThat(run("validate", sample("two-alerts-high-error-rate.json").toString())).isEqualTo(0);
    assertThat(out()).contains("valid: 2 alerts");

    assertThat(run("validate", sample("invalid/label-value-is-a-number.json").toString()))
        .isEqualTo(1);
    assertThat(err()).contains("alerts[0].labels.port");
  }

  @Test
  void options_whenUnknownOrMissingValue_exit2() {
    assertThat(run("incidents", "--bogus", "1")).isEqualTo(2);
    assertThat(run("show")).isEqualTo(2);
    assertThat(run("incidents", "--url")).isEqualTo(2);
    assertThat(run("incidents", "--url", "ftp://x")).isEqualTo(2);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private int run(String... args) {
    out.reset();
    err.reset();
    InputStream noInput = new ByteArrayInputStream(new byte[0]);
    return new ReflexCli(Map.of(), noInput, Duration.ofSeconds(20))
        .run(args, print(out), print(err));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private static ObjectNode detail() {
    ObjectNode incident = JSON.createObjectNode();
    incident.put("id", "inc-7");
    incident.put("status", "EXECUTING");
    incident.put("signature", "high_latency|payment-api|india");
    incident.put("alertname", "HighP99Latency");
    incident.put("createdAt", "2026-11-01T09:14:05Z");
    incident.put("updatedAt", "2026-11-01T09:20:00Z");
    ObjectNode alert = incident.putObject("alert");
    alert.put("status", "FIRING");
    alert.put("startsAt", "2026-11-01T09:14:00Z");
    alert.put("fingerprint", "8c1f4e2a9b7d3c05");
    alert.putObject("labels").put("alertname", "HighP99Latency").put("service", "payment-api");
    incident.putObject("anomaly").put("anomalyType", "high_latency").put("severity", "CRITICAL");
    incident
        .putObject("match")
        .put("matched", true)
        .put("playbookId", "pb-restart")
        .put("version", "3")
        .put("source", "catalog")
        .put("confidence", 0.92)
        .put("matchedBy", "SIGNATURE")
        .put("threshold", 0.75)
        .put("candidatesConsidered", 4);
    incident.putObject("consult").put("consultant", "recorded").put("diagnosis", "pool exhausted");
    ObjectNode decision = incident.putObject("decision");
    decision.put("allowed", true).put("requiresApproval", true).put("riskLevel", "safe_write");
    decision.putArray("reasoning").add("restart is reversible");
    incident
        .putObject("approval")
        .put("id", "apr-7")
        .put("status", "APPROVED")
        .put("expiresAt", "2026-11-02T09:14:00Z")
        .put("decidedBy", "ana")
        .put("decidedAt", "2026-11-01T09:19:00Z")
        .put("reason", "ok");
    ObjectNode execution = incident.putObject("execution");
    execution.put("executor", "dry-run").put("mode", "SIMULATE").put("success", true);
    execution
        .putArray("steps")
        .addObject()
        .put("name", "restart payment-api")
        .put("risk", "safe_write")
        .put("status", "SIMULATED");
    ObjectNode workflow = incident.putObject("workflow");
    workflow.put("status", "RUNNING");
    var history = workflow.putArray("history");
    history.addObject().put("type", "ExecutionStarted");
    history.addObject().put("type", "TaskStateEntered").put("state", "Match playbook");
    history.addObject().put("type", "TaskSucceeded");
    history.addObject().put("type", "TaskStateExited").put("state", "Match playbook");
    history.addObject().put("type", "ExecutionSucceeded");
    return incident;
  }

  private static Path sample(String name) throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("samples/alertmanager"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IOException("samples/alertmanager not found above the working directory");
    }
    return dir.resolve("samples/alertmanager").resolve(name);
  }
}
