package dev.reflex.local.bench;

import dev.reflex.adapters.dynamodb.stepfunctions.DynamoDbExecutionStore;
import dev.reflex.local.app.LocalDynamoDb;
import dev.reflex.stepfunctions.ExecutionStatus;
import dev.reflex.stepfunctions.ExecutionStore;
import dev.reflex.stepfunctions.InMemoryExecutionStore;
import dev.reflex.stepfunctions.LocalStepFunctions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Measures the embedded Step Functions runtime: state transitions per second for a chain of 10 Task
 * states with trivial handlers, and heap per execution while executions wait on task tokens, with the
 * in-memory store and with the DynamoDB store on DynamoDB Local (in-process, data under {@code workDir},
 * through {@link LocalDynamoDb} as the embedded runtime uses it).
 * A measurement, not a test: it prints Markdown tables and asserts nothing.
 *
 * <p>Transitions are counted as states entered (10 per execution). Throughput is measured in rounds
 * (the median and the best round are printed, because other processes on the machine disturb single
 * rounds) and three ways:
 * <ul>
 *   <li>wall: transitions per elapsed second;</li>
 *   <li>per CPU-second, process: divided by the CPU time of the whole JVM during the round (all
 *       threads, including garbage collection and the JIT compiler);</li>
 *   <li>per CPU-second, Java threads: divided by the CPU time of the Java threads (the runtime's
 *       worker threads, the carriers of the handlers' virtual threads, the thread that starts the
 *       executions), read with {@link ThreadMXBean}; without GC and JIT.</li>
 * </ul>
 * The one-core figure is the run with <b>one worker thread</b>, per CPU-second of the process: the
 * rate one core sustains when it does all the work, garbage collection included.
 * Heap is measured after repeated {@code System.gc()}, as the growth over the heap before the executions.
 *
 * <pre>java -XX:+UseSerialGC -cp ... dev.reflex.local.bench.StepFunctionsBenchmark [workDir]</pre>
 */
public final class StepFunctionsBenchmark {
    private static final String FUNCTION_ARN = "arn:aws:lambda:local:000000000000:function:";
    private static final int TASKS = 10;
    private static final Duration QUIESCENCE = Duration.ofMinutes(5);
    private static final int BATCH = 1_000;
    /** Enough executions for the JIT to compile the hot path before anything is measured. */
    private static final int WARM_UP = 50_000;
    private static final int ROUNDS = 7;
    private static final int PER_ROUND = 10_000;

    private StepFunctionsBenchmark() {}

    public static void main(String[] args) throws IOException {
        Path workDir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("reflex-bench");
        run(System.out, workDir);
    }

    public static void run(PrintStream out, Path workDir) {
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int defaultWorkers = Math.max(4, Runtime.getRuntime().availableProcessors());
        List<String[]> throughput = new ArrayList<>();
        List<String[]> heap = new ArrayList<>();

        warmUp(InMemoryExecutionStore::new, WARM_UP);
        throughput.add(throughput("in-memory", InMemoryExecutionStore::new, 1, ROUNDS, PER_ROUND));
        throughput.add(throughput("in-memory", InMemoryExecutionStore::new, defaultWorkers, ROUNDS, PER_ROUND));
        heap.add(waiting("in-memory", new InMemoryExecutionStore(), 1));
        heap.add(waiting("in-memory", new InMemoryExecutionStore(), 10_000));

        try (LocalDynamoDb dynamo = LocalDynamoDb.start(workDir.resolve("dynamodb"))) {
            DynamoDbClient client = dynamo.client();
            DynamoDbExecutionStore throughputStore = dynamoStore(client, "bench-throughput");
            warmUp(() -> throughputStore, 200);
            throughput.add(throughput("DynamoDB Local", () -> throughputStore, defaultWorkers, 1, 1_000));
            heap.add(waiting("DynamoDB Local", dynamoStore(client, "bench-waiting-1"), 1));
            heap.add(waiting("DynamoDB Local", dynamoStore(client, "bench-waiting-10k"), 10_000));
        }

        out.printf(Locale.ROOT, "Step Functions runtime benchmark (%d cores, max heap %d MiB, Java %s, %s)%n%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"), garbageCollectors());
        out.println("10 Task states with a trivial handler; median / best of the rounds. "
                + "One core = 1 worker thread, per CPU-second of the process.");
        out.println();
        out.println("| store | worker threads | rounds × executions | transitions/s (wall) | per CPU-second, process | per CPU-second, Java threads |");
        out.println("|---|---:|---:|---:|---:|---:|");
        throughput.forEach(row -> out.println("| " + String.join(" | ", row) + " |"));
        out.println();
        out.println("| store | executions waiting on a task token | heap used | heap per execution |");
        out.println("|---|---:|---:|---:|");
        heap.forEach(row -> out.println("| " + String.join(" | ", row) + " |"));
    }

    private static DynamoDbExecutionStore dynamoStore(DynamoDbClient client, String table) {
        DynamoDbExecutionStore store = new DynamoDbExecutionStore(client, table);
        store.createTableIfMissing();
        return store;
    }

    private static void warmUp(Supplier<ExecutionStore> stores, int executions) {
        for (int done = 0; done < executions; done += BATCH) {
            runBatch(stores.get(), Math.max(4, Runtime.getRuntime().availableProcessors()), "warm-" + done,
                    Math.min(BATCH, executions - done), new CpuOfThreads());
        }
    }

    /**
     * Runs {@code rounds} rounds of {@code perRound} executions of the 10-task chain, in batches of
     * {@value #BATCH} started at once; each batch gets a fresh runtime with {@code workers} worker
     * threads and a fresh store (from {@code stores}), so finished executions do not pile up in the
     * heap of the in-memory store.
     */
    private static String[] throughput(String storeName, Supplier<ExecutionStore> stores, int workers, int rounds, int perRound) {
        double[] wall = new double[rounds];
        double[] processCpu = new double[rounds];
        double[] threadCpu = new double[rounds];
        long transitions = (long) perRound * TASKS;
        for (int r = 0; r < rounds; r++) {
            CpuOfThreads threads = new CpuOfThreads();
            long cpuBefore = processCpuNanos();
            long start = System.nanoTime();
            for (int done = 0; done < perRound; done += BATCH) {
                runBatch(stores.get(), workers, "run-" + workers + "-" + r + "-" + done, Math.min(BATCH, perRound - done), threads);
            }
            wall[r] = transitions * 1e9 / (System.nanoTime() - start);
            processCpu[r] = transitions * 1e9 / (processCpuNanos() - cpuBefore);
            threadCpu[r] = transitions * 1e9 / threads.nanos;
        }
        return new String[] {storeName, Integer.toString(workers), rounds + " × " + format(perRound),
                medianAndBest(wall), medianAndBest(processCpu), medianAndBest(threadCpu)};
    }

    private static void runBatch(ExecutionStore store, int workers, String prefix, int count, CpuOfThreads threads) {
        try (LocalStepFunctions runtime = LocalStepFunctions.builder().executionStore(store).workerThreads(workers).build()) {
            threads.begin();
            runtime.loadStateMachine("chain", chainDefinition(), Map.of());
            runtime.registerHandler("noop", (input, ctx) -> input);
            List<String> arns = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                arns.add(runtime.startExecution("chain", prefix + "-" + i, "{\"n\":" + i + "}"));
            }
            for (String arn : arns) {
                ExecutionStatus status = runtime.awaitQuiescent(arn, QUIESCENCE).status();
                if (status != ExecutionStatus.SUCCEEDED) {
                    throw new IllegalStateException(arn + " ended " + status);
                }
            }
            threads.end(); // before close: the worker threads end with the runtime
        }
    }

    /** CPU time of the live Java threads between {@link #begin} and {@link #end}, summed over batches. */
    private static final class CpuOfThreads {
        private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        private Map<Long, Long> before = Map.of();
        long nanos;

        void begin() {
            before = cpuByThread();
        }

        void end() {
            cpuByThread().forEach((id, cpu) -> nanos += cpu - before.getOrDefault(id, 0L));
        }

        private Map<Long, Long> cpuByThread() {
            Map<Long, Long> cpu = new HashMap<>();
            for (long id : mx.getAllThreadIds()) {
                long t = mx.getThreadCpuTime(id);
                if (t > 0) cpu.put(id, t);
            }
            return cpu;
        }
    }

    /** Starts {@code count} executions that each wait on a task token, then measures the heap they hold. */
    private static String[] waiting(String storeName, ExecutionStore store, int count) {
        LocalStepFunctions runtime = LocalStepFunctions.builder().executionStore(store).build();
        try {
            runtime.loadStateMachine("approval", callbackDefinition(), Map.of());
            runtime.registerHandler("requestApproval", (input, ctx) -> null);
            long before = heapUsedAfterGc();
            List<String> arns = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                arns.add(runtime.startExecution("approval", "wait-" + i, "{\"incidentId\":\"inc-" + i + "\"}"));
            }
            for (String arn : arns) {
                ExecutionStatus status = runtime.awaitQuiescent(arn, QUIESCENCE).status();
                if (status != ExecutionStatus.RUNNING) {
                    throw new IllegalStateException(arn + " should wait on its token but is " + status);
                }
            }
            long used = Math.max(0, heapUsedAfterGc() - before);
            return new String[] {storeName, format(count), mib(used), kib(used / count)};
        } finally {
            runtime.close();
        }
    }

    static String chainDefinition() {
        StringBuilder states = new StringBuilder();
        for (int i = 1; i <= TASKS; i++) {
            states.append(i > 1 ? ",\n" : "").append("""
                    "Step %d": {"Type": "Task", "Resource": "%snoop", %s}""".formatted(
                    i, FUNCTION_ARN, i < TASKS ? "\"Next\": \"Step " + (i + 1) + "\"" : "\"End\": true"));
        }
        return "{\"StartAt\": \"Step 1\", \"States\": {" + states + "}}";
    }

    static String callbackDefinition() {
        return """
                {"StartAt": "Request approval", "States": {"Request approval": {
                  "Type": "Task",
                  "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                  "Parameters": {"FunctionName": "%srequestApproval",
                                 "Payload": {"incidentId.$": "$.incidentId", "taskToken.$": "$$.Task.Token"}},
                  "TimeoutSeconds": 86400,
                  "End": true}}}""".formatted(FUNCTION_ARN);
    }

    private static long heapUsedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean hotspot) {
            return hotspot.getProcessCpuTime();
        }
        throw new IllegalStateException("this JVM does not report process CPU time");
    }

    private static String garbageCollectors() {
        return String.join(" + ", ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName()).toList());
    }

    private static String medianAndBest(double[] perRound) {
        double[] sorted = perRound.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return sorted.length == 1 ? format(median) : format(median) + " / " + format(sorted[sorted.length - 1]);
    }

    private static String format(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static String kib(long bytes) {
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
