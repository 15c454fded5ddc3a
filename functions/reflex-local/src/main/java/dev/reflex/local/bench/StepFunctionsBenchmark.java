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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * A measurement, not a test: it prints a Markdown table and asserts nothing.
 *
 * <p>Transitions are counted as states entered (10 per execution). "Per CPU-second" divides by the
 * CPU time the whole process used during the run (all threads), so it approximates one core's rate.
 * Heap is measured after repeated {@code System.gc()}, as the growth over the heap before the executions.
 *
 * <pre>java -Xmx256m -cp ... dev.reflex.local.bench.StepFunctionsBenchmark [workDir]</pre>
 */
public final class StepFunctionsBenchmark {
    private static final String FUNCTION_ARN = "arn:aws:lambda:local:000000000000:function:";
    private static final int TASKS = 10;
    private static final Duration QUIESCENCE = Duration.ofMinutes(5);
    private static final int BATCH = 1_000;

    private StepFunctionsBenchmark() {}

    public static void main(String[] args) throws IOException {
        Path workDir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("reflex-bench");
        run(System.out, workDir);
    }

    public static void run(PrintStream out, Path workDir) {
        List<String[]> rows = new ArrayList<>();
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        rows.add(throughput("in-memory", InMemoryExecutionStore::new, 4_000, 20_000));
        rows.add(waiting("in-memory", new InMemoryExecutionStore(), 1));
        rows.add(waiting("in-memory", new InMemoryExecutionStore(), 10_000));

        try (LocalDynamoDb dynamo = LocalDynamoDb.start(workDir.resolve("dynamodb"))) {
            DynamoDbClient client = dynamo.client();
            DynamoDbExecutionStore throughputStore = dynamoStore(client, "bench-throughput");
            rows.add(throughput("DynamoDB Local", () -> throughputStore, 200, 1_000));
            rows.add(waiting("DynamoDB Local", dynamoStore(client, "bench-waiting-1"), 1));
            rows.add(waiting("DynamoDB Local", dynamoStore(client, "bench-waiting-10k"), 10_000));
        }

        out.printf(Locale.ROOT, "Step Functions runtime benchmark (%d cores, max heap %d MiB, Java %s)%n%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"));
        out.println("| store | scenario | executions | transitions/s (wall) | transitions per CPU-second | heap used | heap per execution |");
        out.println("|---|---|---:|---:|---:|---:|---:|");
        rows.forEach(row -> out.println("| " + String.join(" | ", row) + " |"));
    }

    private static DynamoDbExecutionStore dynamoStore(DynamoDbClient client, String table) {
        DynamoDbExecutionStore store = new DynamoDbExecutionStore(client, table);
        store.createTableIfMissing();
        return store;
    }

    /**
     * Runs {@code warmUp} then {@code measured} executions of the 10-task chain, in batches of
     * {@value #BATCH} started at once; each batch gets a fresh runtime and store (from {@code stores}),
     * so finished executions do not pile up in the heap of the in-memory store.
     */
    private static String[] throughput(String storeName, Supplier<ExecutionStore> stores, int warmUp, int measured) {
        for (int done = 0; done < warmUp; done += BATCH) {
            runBatch(stores.get(), "warm-" + done, Math.min(BATCH, warmUp - done));
        }
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        for (int done = 0; done < measured; done += BATCH) {
            runBatch(stores.get(), "run-" + done, Math.min(BATCH, measured - done));
        }
        long wall = System.nanoTime() - start;
        long cpu = processCpuNanos() - cpuBefore;
        long transitions = (long) measured * TASKS;
        return new String[] {storeName, "10 Task states, trivial handler", Integer.toString(measured),
                format(transitions * 1e9 / wall), format(transitions * 1e9 / cpu), "", ""};
    }

    private static void runBatch(ExecutionStore store, String prefix, int count) {
        try (LocalStepFunctions runtime = runtime(store)) {
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
        }
    }

    /** Starts {@code count} executions that each wait on a task token, then measures the heap they hold. */
    private static String[] waiting(String storeName, ExecutionStore store, int count) {
        LocalStepFunctions runtime = runtime(store);
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
            return new String[] {storeName, "waiting on a task token", Integer.toString(count), "", "",
                    mib(used), kib(used / count)};
        } finally {
            runtime.close();
        }
    }

    private static LocalStepFunctions runtime(ExecutionStore store) {
        return LocalStepFunctions.builder().executionStore(store).build();
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
