package dev.reflex.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.local.http.AdminToken;
import dev.reflex.local.http.FakeReflexApi;
import dev.reflex.local.http.ReflexHttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReflexCliFeedbackTest {

  @TempDir Path dataDir;

  private final FakeReflexApi api = new FakeReflexApi();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private ReflexHttpServer server;

  @BeforeEach
  void start() {
    server = new ReflexHttpServer(api, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        AdminToken.loadOrCreate(dataDir));
    server.start();
    api.addIncident(FakeReflexApi.JSON.createObjectNode().put("id", "inc-1").put("status", "RESOLVED"));
    api.addPlaybook(FakeReflexApi.JSON.createObjectNode().put("id", "pb-off").put("status", "DISABLED"));
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private int run(String... args) {
    out.reset();
    err.reset();
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--data-dir";
    all[args.length + 1] = dataDir.toString();
    return new ReflexCli(Map.of("REFLEX_URL", server.baseUrl()), new ByteArrayInputStream(new byte[0]),
        Duration.ofSeconds(10)).run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void feedback_sendsTheOptionsAsJson() {
    int code = run("feedback", "inc-1", "--rating", "4", "--helpful", "yes", "--actions-worked", "no",
        "--comment", "slow but fine", "--what-worked", "the restart", "--author", "ana");

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(0);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("feedback recorded: incident inc-1")
        .contains("rating 4/5");
    assertThat(api.feedback).singleElement().satisfies(f -> {
      assertThat(f.rating()).isEqualTo(4);
      assertThat(f.helpful()).isTrue();
      assertThat(f.actionsWorked()).isFalse();
      assertThat(f.accurate()).isNull();
      assertThat(f.comment()).isEqualTo("slow but fine");
      assertThat(f.whatWorked()).isEqualTo("the restart");
      assertThat(f.author()).isEqualTo("ana");
    });
  }

  @Test
  void feedback_withoutOrWithBadRating_isAUsageError() {
    assertThat(run("feedback", "inc-1")).isEqualTo(2);
    assertThat(run("feedback", "inc-1", "--rating", "9")).isEqualTo(2);
    assertThat(run("feedback", "inc-1", "--rating", "4", "--helpful", "maybe")).isEqualTo(2);
    assertThat(api.feedback).isEmpty();
  }

  @Test
  void feedback_onUnknownIncident_failsWithNotFound() {
    assertThat(run("feedback", "inc-9", "--rating", "4")).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("not found");
  }

  @Test
  void playbooksEnable_reenablesAndPrintsTheNewStatus() {
    assertThat(run("playbooks", "enable", "pb-off", "--reason", "fixed")).isEqualTo(0);

    assertThat(out.toString(StandardCharsets.UTF_8)).contains("re-enabled: playbook pb-off is now ACTIVE");
  }

  @Test
  void playbooksEnable_withSignature_reenablesThatSignatureAndSaysSo() {
    api.disabledPatterns.add("pb-off#high_latency|payment-api|india");

    int code = run("playbooks", "enable", "pb-off", "--signature", "high_latency|payment-api|india", "--reason",
        "pool size fixed");

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(0);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("re-enabled: playbook pb-off for signature high_latency|payment-api|india");
    assertThat(api.disabledPatterns).isEmpty();
  }

  @Test
  void playbooksEnable_withMalformedSignature_failsNamingSignature() {
    assertThat(run("playbooks", "enable", "pb-off", "--signature", "payment-api", "--reason", "x")).isEqualTo(1);

    assertThat(err.toString(StandardCharsets.UTF_8)).contains("signature");
  }

  @Test
  void playbooksEnable_withoutReason_isAUsageError() {
    assertThat(run("playbooks", "enable", "pb-off")).isEqualTo(2);
  }
}
