package dev.reflex.local;

import dev.reflex.domain.model.Parameter;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.RiskClass;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.model.StepAction;
import dev.reflex.lambda.functions.Dto;
import dev.reflex.lambda.functions.WorkflowFunctions;
import dev.reflex.lambda.intake.AlertIntake;
import dev.reflex.local.app.EmbeddedReflex;
import dev.reflex.local.bench.StepFunctionsBenchmark;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./reflex bench}: incidents per second and latency percentiles of Reflex's pipeline on
 * the embedded default (DynamoDB Local over HTTP, the real Git repository), plus the local Step
 * Functions runtime's own benchmark. Figures go to BENCHMARKS.md; no test asserts timings.
 */
public final class Bench {

  private static final String[] TYPES = {"high_latency", "disk_full", "memory_leak", "service_down", "high_cpu",
      "high_error_rate", "crash_loop", "certificate_expiry"};
  private static final String[] ALERTNAMES = {"HighP99Latency", "DiskFull", "MemoryLeak", "ServiceDown", "HighCPU",
      "HighErrorRate", "CrashLooping", "CertificateExpiringSoon"};

  private Bench() {}

  public static int run(Path home, String[] args, PrintStream out) throws Exception {
    String what = args.length > 0 ? args[0] : "all";
    int playbooks = intOption(args, "--playbooks", 10_000);
    int incidents = intOption(args, "--incidents", 2_000);
    int novel = intOption(args, "--novel", 100);
    int threads = intOption(args, "--threads", 4);
    int warmup = intOption(args, "--warmup", 10_000);
    Path work = Files.createTempDirectory("reflex-bench-");
    out.printf("Reflex benchmark on %d cores, %s, max heap %d MiB%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20);
    if (what.equals("all") || what.equals("pipeline")) {
      pipeline(home, work.resolve("pipeline"), playbooks, incidents, novel, threads, warmup, out);
    }
    if (what.equals("all") || what.equals("stepfunctions")) {
      StepFunctionsBenchmark.run(out, work.resolve("stepfunctions"));
    }
    return 0;
  }

  /**
   * @param warmup learned incidents run first and not measured: until the JIT has compiled the hot
   *     paths, its compiler threads take CPU from the two cores the measurement shares
   */
  static void pipeline(Path home, Path work, int playbookCount, int incidentCount, int novelCount, int threads,
      int warmup, PrintStream out) throws Exception {
    EmbeddedReflex.Options options = EmbeddedReflex.Options.defaults(home, work, "http://127.0.0.1:8080")
        .withInMemoryTables(true).withoutWorkflows().withConsole(new PrintStream(PrintStream.nullOutputStream()));
    try (EmbeddedReflex reflex = EmbeddedReflex.start(options)) {
      long seedStart = System.nanoTime();
      seedLearnedPlaybooks(reflex, playbookCount);
      out.printf("%nseeded %d learned playbooks in %.1f s%n", playbookCount, (System.nanoTime() - seedStart) / 1e9);

      // warm-up: JIT, DynamoDB Local's SQLite pages
      runPath(reflex, warmup, threads, false, 9_000_000, null);
      reflex.dynamo().resetCalls();
      long compiling = compilationMillis();
      Result learned = runPath(reflex, incidentCount, threads, false, 0, null);
      compiling = compilationMillis() - compiling;
      long learnedCalls = reflex.dynamo().totalCalls();
      Map<String, Long> learnedByOperation = reflex.dynamo().callsByOperation();
      // who makes which calls: one thread, so every call between two stages belongs to the stage
      int attributed = Math.min(incidentCount, 500);
      Breakdown breakdown = new Breakdown(reflex);
      runPath(reflex, attributed, 1, false, 8_000_000, breakdown);
      reflex.dynamo().resetCalls();
      // --novel 0 measures the learned path only
      Result fresh = novelCount > 0 ? runPath(reflex, novelCount, 1, true, 5_000_000, null) : null;
      long novelCalls = reflex.dynamo().totalCalls();

      System.gc();
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      out.println();
      out.println("| path | incidents | threads | incidents/s | p50 ms | p95 ms | p99 ms | DynamoDB calls/incident "
          + "| CPU ms/incident | KiB allocated/incident |");
      out.println("|---|---|---|---|---|---|---|---|---|---|");
      out.println(learned.row("learned (ingest→detect→match→decide)", threads, learnedCalls));
      if (fresh != null) {
        out.println(fresh.row("novel (ingest→detect→match→consult+commit→decide)", 1, novelCalls));
      }
      out.printf("%nwarm-up: %d learned incidents; JIT compilation during the learned run: %d ms%n", warmup, compiling);
      out.printf("DynamoDB calls on the learned path, by operation: %s%n", perIncident(learnedByOperation, incidentCount));
      out.printf("%nLearned path by function (%d incidents, one thread): DynamoDB calls per incident and mean time%n%n",
          attributed);
      breakdown.print(out, attributed);
      out.printf("%nheap used after the run (after GC): %d MiB; consultations: %d%n", heap >> 20, reflex.consultations());
    }
  }

  private static Map<String, String> perIncident(Map<String, Long> calls, int incidents) {
    Map<String, String> out = new java.util.TreeMap<>();
    calls.forEach((operation, n) -> out.put(operation, String.format("%.2f", (double) n / incidents)));
    return out;
  }

  /** The function stages of one incident, in the order the state machine runs them. */
  private static final String[] STAGES = {"ingest", "detect", "match", "consult", "decide"};

  /** DynamoDB calls and time per function stage; single-threaded use only. */
  private static final class Breakdown {
    private final EmbeddedReflex reflex;
    private final Map<String, Map<String, Long>> calls = new java.util.LinkedHashMap<>();
    private final long[] nanos = new long[STAGES.length];
    private Map<String, Long> before = Map.of();
    private long started;

    Breakdown(EmbeddedReflex reflex) {
      this.reflex = reflex;
      for (String stage : STAGES) {
        calls.put(stage, new java.util.TreeMap<>());
      }
    }

    void begin() {
      before = reflex.dynamo().callsByOperation();
      started = System.nanoTime();
    }

    void end(int stage) {
      nanos[stage] += System.nanoTime() - started;
      Map<String, Long> now = reflex.dynamo().callsByOperation();
      now.forEach((operation, n) -> {
        long delta = n - before.getOrDefault(operation, 0L);
        if (delta > 0) {
          calls.get(STAGES[stage]).merge(operation, delta, Long::sum);
        }
      });
      begin();
    }

    void print(PrintStream out, int incidents) {
      java.util.Set<String> operations = new java.util.TreeSet<>();
      calls.values().forEach(byOperation -> operations.addAll(byOperation.keySet()));
      StringBuilder header = new StringBuilder("| function | calls |");
      StringBuilder rule = new StringBuilder("|---|---|");
      operations.forEach(operation -> {
        header.append(' ').append(operation).append(" |");
        rule.append("---|");
      });
      out.println(header.append(" mean ms |"));
      out.println(rule.append("---|"));
      long[] totals = new long[operations.size()];
      long totalNanos = 0;
      for (int stage = 0; stage < STAGES.length; stage++) {
        Map<String, Long> byOperation = calls.get(STAGES[stage]);
        if (byOperation.isEmpty() && nanos[stage] == 0) {
          continue;
        }
        long sum = byOperation.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder row = new StringBuilder("| " + STAGES[stage] + " | " + fmt(sum, incidents) + " |");
        int i = 0;
        for (String operation : operations) {
          long n = byOperation.getOrDefault(operation, 0L);
          totals[i++] += n;
          row.append(' ').append(n == 0 ? "" : fmt(n, incidents)).append(" |");
        }
        totalNanos += nanos[stage];
        out.println(row.append(String.format(" %.2f |", nanos[stage] / 1e6 / incidents)));
      }
      StringBuilder row = new StringBuilder("| **total** | **" + fmt(Arrays.stream(totals).sum(), incidents) + "** |");
      for (long n : totals) {
        row.append(' ').append(fmt(n, incidents)).append(" |");
      }
      out.println(row.append(String.format(" %.2f |", totalNanos / 1e6 / incidents)));
    }

    private static String fmt(long calls, int incidents) {
      return String.format("%.2f", (double) calls / incidents);
    }
  }

  /**
   * @param cpuNanos CPU time of the threads doing the work during the run: the pipeline's threads
   *     and DynamoDB Local's SQLite thread (not the JIT's or the collector's): what an incident
   *     costs whatever else the machine is doing
   * @param allocatedBytes heap allocated by every thread during the run: a proxy for the work done
   *     that other load on the machine does not disturb
   */
  private record Result(int count, double seconds, long[] nanos, long cpuNanos, long allocatedBytes) {
    String row(String name, int threads, long dynamoCalls) {
      return String.format("| %s | %d | %d | %.0f | %.2f | %.2f | %.2f | %.1f | %.2f | %.0f |", name, count, threads,
          count / seconds, pct(0.50), pct(0.95), pct(0.99), (double) dynamoCalls / count, cpuNanos / 1e6 / count,
          allocatedBytes / 1024.0 / count);
    }

    double pct(double p) {
      return nanos[Math.min(nanos.length - 1, (int) Math.ceil(p * nanos.length) - 1)] / 1e6;
    }
  }

  /** @param breakdown attributes calls and time to each function; only with one thread, else null */
  private static Result runPath(EmbeddedReflex reflex, int count, int threads, boolean novel, int offset,
      Breakdown breakdown) throws Exception {
    if (breakdown != null && threads != 1) {
      throw new IllegalArgumentException("a breakdown needs one thread");
    }
    AlertIntake intake = reflex.services().intake();
    WorkflowFunctions functions = reflex.services().functions();
    long[] nanos = new long[count];
    AtomicLong next = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    java.util.concurrent.atomic.AtomicLong workerCpu = new java.util.concurrent.atomic.AtomicLong();
    long storeCpuStart = storeThreadCpuNanos();
    long allocatedStart = allocatedBytes();
    long start = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(pool.submit(() -> {
        long threadCpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        for (long i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
          int n = (int) i + offset;
          byte[] body = novel ? novelAlert(n) : learnedAlert(n);
          long t0 = System.nanoTime();
          if (breakdown != null) {
            breakdown.begin();
          }
          AlertIntake.Result result = intake.accept(body);
          String id = result.incidents().get(0).id();
          stage(breakdown, 0);
          functions.detect(new Dto.IncidentRef(id));
          stage(breakdown, 1);
          Dto.Matched match = functions.match(new Dto.IncidentRef(id));
          stage(breakdown, 2);
          if (!match.matched) {
            functions.consult(new Dto.IncidentRef(id));
            stage(breakdown, 3);
          }
          functions.decide(new Dto.IncidentRef(id));
          stage(breakdown, 4);
          nanos[(int) i] = System.nanoTime() - t0;
        }
        workerCpu.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - threadCpuStart);
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long cpu = workerCpu.get() + storeThreadCpuNanos() - storeCpuStart;
    long allocated = allocatedBytes() - allocatedStart;
    pool.shutdown();
    Arrays.sort(nanos);
    return new Result(count, seconds, nanos, cpu, allocated);
  }

  private static long allocatedBytes() {
    if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)) {
      return 0;
    }
    return Arrays.stream(threads.getThreadAllocatedBytes(threads.getAllThreadIds())).filter(n -> n > 0).sum();
  }

  private static long compilationMillis() {
    var jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
  }

  /** CPU time of DynamoDB Local's SQLite thread, where every read and write of the store runs. */
  private static long storeThreadCpuNanos() {
    var threads = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("SQLiteQueue")) {
        sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return sum;
  }


  private static void stage(Breakdown breakdown, int stage) {
    if (breakdown != null) {
      breakdown.end(stage);
    }
  }

  private static void seedLearnedPlaybooks(EmbeddedReflex reflex, int count) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int n = i;
      futures.add(pool.submit(() -> reflex.playbookStore().create(learnedPlaybook(n))));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
  }

  static Playbook learnedPlaybook(int n) {
    Signature signature = Signature.of(TYPES[n % TYPES.length], "svc-" + (n / TYPES.length), "region-" + (n % 7));
    StepAction inspect = new StepAction("Inspect service status", "ansible.builtin.command",
        Map.of("argv", List.of("systemctl", "status", "{{ service }}")));
    StepAction restart = new StepAction("Restart the service", "ansible.builtin.systemd_service",
        Map.of("name", "{{ service }}", "state", "restarted"));
    return new Playbook("learned-" + signature.slug(), "1.0.0", "Learned for " + signature, PlaybookSource.LEARNED,
        PlaybookStatus.ACTIVE, List.of(signature.anomalyType()), List.of(signature.toString()), signature,
        "benchmark playbook", "", List.of(new Parameter("service", "the service", "service",
            "^[a-z0-9][a-z0-9._-]{0,62}$", null, true)),
        List.of(new PlaybookStep(inspect, RiskClass.READ_ONLY, null),
            new PlaybookStep(restart, RiskClass.SAFE_WRITE, null)),
        null, PlaybookStats.initial(0.85), List.of(), "benchmark " + signature, null, null, 0);
  }

  private static byte[] learnedAlert(int n) {
    int p = n % 10_000;
    return alert(ALERTNAMES[p % TYPES.length], "svc-" + (p / TYPES.length), "region-" + (p % 7), n);
  }

  private static byte[] novelAlert(int n) {
    return alert(ALERTNAMES[n % TYPES.length], "novel-" + n, "zone-" + n, n);
  }

  private static byte[] alert(String alertname, String service, String region, int n) {
    Instant startsAt = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(n);
    String body = """
        {"version":"4","status":"firing","receiver":"reflex","groupKey":"bench","truncatedAlerts":0,
         "groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am",
         "alerts":[{"status":"firing","labels":{"alertname":"%s","service":"%s","region":"%s","severity":"high"},
         "annotations":{"summary":"%s on %s","value":"1850","threshold":"500"},
         "startsAt":"%s","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prom","fingerprint":"%016x"}]}
        """.formatted(alertname, service, region, alertname, service, startsAt, (long) n * 7919L + 1);
    return body.getBytes(StandardCharsets.UTF_8);
  }

  private static int intOption(String[] args, String name, int fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Main.number(args[i + 1], name);
      }
    }
    return fallback;
  }
}
