package dev.reflex.stepfunctions.differential;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reflex.stepfunctions.ExecutionDescription;
import dev.reflex.stepfunctions.InMemoryExecutionStore;
import dev.reflex.stepfunctions.LocalStepFunctions;
import dev.reflex.stepfunctions.ManualTimerService;
import dev.reflex.stepfunctions.TaskHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every case of the ASL corpus (and scenarios of the project's own state machines) through
 * Reflex's {@link LocalStepFunctions} and through aws-local-stepfunctions, an independent
 * implementation on Node 22, and requires the same outcome: status, output (deep-equal, numbers by
 * value) and error name. Causes are not compared: both sides report the handlers' causes verbatim,
 * but the wording of the runtimes' own errors (States.Runtime, ...) is free text.
 *
 * <p>Explicit normalisation: UUIDs (States.UUID) are replaced by {@code <uuid>} ({@link Outcome}).
 * Where aws-local-stepfunctions contradicts the AWS spec, the case has an {@code expected.json}
 * naming the rule; the test then checks Reflex against it and checks that the library still
 * disagrees, so a fixed library shows up as a stale override instead of going unnoticed.
 *
 * <p>Time: Reflex runs on a {@link ManualTimerService} that the test advances to the next timer
 * whenever the execution is idle, so Wait states and Retry back-offs take no real time; the JS side
 * overrides every Wait and Retry pause to 0 ms.
 */
class LocalStepFunctionsDifferentialTest {
    private static final Path REPO_ROOT = AwsLocalStepFunctions.repoRoot();
    private static final Path CORPUS = REPO_ROOT.resolve("functions/reflex-local-stepfunctions/src/test/resources/differential");
    private static final Path PROJECT_FIXTURES = CORPUS.resolve("project");
    private static final Duration QUIESCENCE = Duration.ofSeconds(30);
    private static final int MAX_STEPS = 10_000;

    private static List<DifferentialCase> cases;
    private static Map<String, Outcome> reference;

    static synchronized List<DifferentialCase> cases() {
        if (cases == null) {
            Path workDir;
            try {
                workDir = Files.createTempDirectory("reflex-differential");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<DifferentialCase> all = new ArrayList<>(DifferentialCase.corpus(CORPUS));
            all.addAll(DifferentialCase.projectScenarios(REPO_ROOT, PROJECT_FIXTURES, workDir));
            cases = List.copyOf(all);
        }
        return cases;
    }

    /** The reference outcomes, computed once for all cases in one Node process. */
    private static synchronized Map<String, Outcome> reference() {
        if (reference == null) {
            reference = AwsLocalStepFunctions.install().run(cases().stream().map(DifferentialCase::dir).toList());
        }
        return reference;
    }

    @Test
    void corpus_coversAtLeastTwentyDefinitions() {
        assertThat(DifferentialCase.corpus(CORPUS)).hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void projectStateMachines_eachHaveDifferentialScenarios() {
        for (Path machine : DifferentialCase.projectStateMachines(REPO_ROOT)) {
            String name = DifferentialCase.machineName(machine);
            assertThat(cases()).as("scenarios for %s in %s", machine, PROJECT_FIXTURES.resolve(name))
                    .anyMatch(c -> c.name().startsWith(DifferentialCase.PROJECT_PREFIX + name + "-"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void execute_sameDefinitionAndInput_endsLikeAwsLocalStepFunctions(DifferentialCase testCase) throws Exception {
        Outcome library = reference().get(testCase.name());
        assertThat(library.status()).as("aws-local-stepfunctions could not run %s: %s", testCase.name(), library)
                .isNotEqualTo("RUNNER_ERROR");
        Outcome expected = library;
        if (testCase.expected() != null) {
            assertThat(library.agreesWith(testCase.expected()))
                    .as("aws-local-stepfunctions now gives the expected.json outcome for %s (%s): the override is stale, delete it",
                            testCase.name(), library)
                    .isFalse();
            expected = testCase.expected();
        }

        Outcome reflex = runOnReflex(testCase);

        assertThat(reflex.agreesWith(expected))
                .as("%s%n  Reflex:   %s%n  expected: %s%s", testCase.name(), reflex, expected,
                        testCase.expected() == null ? " (aws-local-stepfunctions)" : " (expected.json)")
                .isTrue();
    }

    private static Outcome runOnReflex(DifferentialCase testCase) throws Exception {
        ManualTimerService timers = new ManualTimerService();
        Queue<DifferentialHandlers.Callback> callbacks = new ConcurrentLinkedQueue<>();
        Map<String, TaskHandler> handlers = testCase.responses() == null
                ? DifferentialHandlers.create()
                : DifferentialHandlers.canned(
                        testCase.definition() + "\n" + String.join("\n", testCase.substitutions().values()),
                        testCase.responses(), callbacks);
        LocalStepFunctions runtime = LocalStepFunctions.builder()
                .timers(timers)
                .executionStore(new InMemoryExecutionStore())
                .build();
        try {
            handlers.forEach(runtime::registerHandler);
            runtime.loadStateMachine(testCase.name(), testCase.definition(), testCase.substitutions());
            String arn = runtime.startExecution(testCase.name(), "differential", testCase.input());
            return outcomeOf(drive(runtime, timers, callbacks, arn));
        } finally {
            runtime.close();
        }
    }

    /** Lets the execution run; answers callbacks, and moves the clock to the next timer whenever it is idle. */
    private static ExecutionDescription drive(LocalStepFunctions runtime, ManualTimerService timers,
                                              Queue<DifferentialHandlers.Callback> callbacks, String arn) {
        for (int step = 0; step < MAX_STEPS; step++) {
            ExecutionDescription description = runtime.awaitQuiescent(arn, QUIESCENCE);
            if (description.status().isFinished()) {
                return description;
            }
            DifferentialHandlers.Callback callback = callbacks.poll();
            if (callback != null) {
                JsonNode error = callback.response().get("$error");
                if (error != null) {
                    runtime.sendTaskFailure(callback.token(), error.path("error").asText(), error.path("cause").asText());
                } else {
                    runtime.sendTaskSuccess(callback.token(), callback.response().toString());
                }
                continue;
            }
            List<Duration> delays = timers.pendingDelays();
            if (delays.isEmpty()) {
                throw new AssertionError("execution " + arn + " is RUNNING with nothing left to wait for: " + description);
            }
            timers.advance(delays.getFirst());
        }
        throw new AssertionError("execution " + arn + " did not finish in " + MAX_STEPS + " steps");
    }

    private static Outcome outcomeOf(ExecutionDescription description) throws IOException {
        return switch (description.status()) {
            case SUCCEEDED -> Outcome.succeeded(Outcome.MAPPER.readTree(description.output()));
            case FAILED -> Outcome.failed(description.error(), description.cause());
            default -> new Outcome(description.status().name(), null, description.error(), description.cause());
        };
    }
}
