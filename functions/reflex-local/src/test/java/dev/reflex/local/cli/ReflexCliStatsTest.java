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

class ReflexCliStatsTest {

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
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private int run(String... args) {
    out.reset();
    err.reset();
    return new ReflexCli(Map.of("REFLEX_URL", server.baseUrl()), new ByteArrayInputStream(new byte[0]),
        Duration.ofSeconds(10)).run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void usage_listsStats() {
    assertThat(ReflexCli.usage()).contains("stats").contains("without any model call");
  }

  @Test
  void stats_printsTotalsPerDayPerSignatureAndServedWithoutCall() {
    api.llmStats = FakeReflexApi.sampleLlmStats("disk_full|db-1|eu");

    assertThat(run("stats")).isEqualTo(0);

    assertThat(out())
        .contains("model calls 3, tokens 12000 (input 11000, output 1000, cache read 0, cache write 0), cost $0.0421")
        .contains("consultations 5: 1 fell back to the offline consultant, 2 reused a concurrent draft")
        .contains("7 incidents matched a playbook (5 learned, 2 catalog), 2 consulted offline or reused a draft, "
            + "of 12 incidents")
        .contains("DAY         CONSULTATIONS  CALLS  TOKENS  COST")
        .contains("2026-11-01  3              2      8000    $0.0300")
        .contains("high_latency|payment-api|india  4              2      9000    $0.0301");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void stats_stripsControlCharactersFromServerText() {
    api.llmStats = FakeReflexApi.sampleLlmStats("evil\u001b[2J|x|y");

    assertThat(run("stats")).isEqualTo(0);

    assertThat(out()).doesNotContain("\u001b").contains("evil\\u001b[2J|x|y");
  }

  @Test
  void stats_whenServerKeepsNoLedger_exits1WithOneLine() {
    assertThat(run("stats")).isEqualTo(1);

    assertThat(err.toString(StandardCharsets.UTF_8).strip()).isEqualTo(
        "reflex: server answered 501: this runtime keeps no consultation ledger");
  }

  @Test
  void stats_withOperandsOrUnknownOption_isAUsageError() {
    assertThat(run("stats", "extra")).isEqualTo(2);
    assertThat(run("stats", "--limit", "3")).isEqualTo(2);
  }
}
