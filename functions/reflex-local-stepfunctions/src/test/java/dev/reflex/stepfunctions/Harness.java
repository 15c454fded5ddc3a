package dev.reflex.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A runtime on a manual clock and an in-memory store, with helpers for reading results. */
final class Harness implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);

    final ManualTimerService clock;
    final InMemoryExecutionStore store;
    final LocalStepFunctions sfn;

    Harness() {
        this(new ManualTimerService(), new InMemoryExecutionStore());
    }

    Harness(ManualTimerService clock, InMemoryExecutionStore store) {
        this.clock = clock;
        this.store = store;
        this.sfn = LocalStepFunctions.builder().timers(clock).executionStore(store).workerThreads(4).build();
    }

    static String asl(String file) {
        try (InputStream in = Harness.class.getResourceAsStream("/asl/" + file)) {
            if (in == null) throw new IllegalArgumentException("no fixture /asl/" + file);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Harness load(String name, String file) {
        sfn.loadStateMachine(name, asl(file), Map.of());
        return this;
    }

    Harness loadText(String name, String asl) {
        sfn.loadStateMachine(name, asl, Map.of());
        return this;
    }

    String start(String machine, String input) {
        return sfn.startExecution(machine, null, input);
    }

    ExecutionDescription run(String machine, String input) {
        return await(start(machine, input));
    }

    ExecutionDescription await(String arn) {
        return sfn.awaitQuiescent(arn, WAIT);
    }

    /** Advances the clock and waits until the execution pauses or ends again. */
    ExecutionDescription advance(String arn, Duration d) {
        clock.advance(d);
        return await(arn);
    }

    List<String> eventTypes(String arn) {
        return sfn.getExecutionHistory(arn).stream().map(HistoryEvent::type).toList();
    }

    /** The task token the callback state is waiting on, read from its TaskScheduled parameters. */
    String tokenOf(String arn) {
        return sfn.getExecutionHistory(arn).stream()
                .filter(e -> e.type().equals("TaskScheduled"))
                .map(e -> json(e.details().get("parameters").asText()))
                .map(p -> p.findValue("token"))
                .filter(t -> t != null)
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no token in history of " + arn))
                .asText();
    }

    static JsonNode output(ExecutionDescription d) {
        return json(d.output());
    }

    @Override
    public void close() {
        sfn.close();
    }
}
