package dev.reflex.stepfunctions;

import dev.reflex.stepfunctions.internal.Engine;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs the Amazon States Language definitions that Reflex deploys to AWS Step Functions, in-process:
 * for the embedded default, the demo, {@code ./reflex serve} and end-to-end tests. Lambda tasks call
 * registered {@link TaskHandler}s; executions, history and task tokens live in an
 * {@link ExecutionStore}; Waits, retry back-offs and timeouts are timers of a {@link TimerService}.
 *
 * <pre>{@code
 * try (var sfn = LocalStepFunctions.builder().build()) {
 *     sfn.loadStateMachine("remediation", aslJson, Map.of("ConsultFunctionArn", "arn:aws:lambda:eu-west-1:123456789012:function:consult"));
 *     sfn.registerHandler("consult", (input, ctx) -> consultant.consult(input));
 *     String arn = sfn.startExecution("remediation", null, "{\"incidentId\":\"i-1\"}");
 *     ExecutionDescription d = sfn.awaitQuiescent(arn, Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class LocalStepFunctions implements AutoCloseable {
    private final Engine engine;

    private LocalStepFunctions(Engine engine) {
        this.engine = engine;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Replaces {@code ${Name}} placeholders with {@code substitutions} (like SAM's DefinitionSubstitutions),
     * parses and validates the definition. Loading a name again replaces the definition for new steps.
     *
     * @throws AslDefinitionException naming the state and field when the definition is invalid or unsupported
     */
    public void loadStateMachine(String name, String aslJson, Map<String, String> substitutions) {
        engine.load(name, aslJson, substitutions);
    }

    /** Binds a Lambda function name (the {@code NAME} in {@code arn:aws:lambda:...:function:NAME}) to a handler. */
    public void registerHandler(String functionName, TaskHandler handler) {
        engine.registerHandler(Objects.requireNonNull(functionName), Objects.requireNonNull(handler));
    }

    /**
     * Starts an execution and returns its ARN, {@code arn:aws:states:local:000000000000:execution:<machine>:<name>}.
     *
     * @param executionName null for a random UUID
     * @param inputJson     null for {@code {}}
     * @throws ExecutionAlreadyExistsException if the name was used before for this state machine
     * @throws StateMachineDoesNotExistException if no definition with that name is loaded
     * @throws InvalidExecutionInputException if the input is not JSON or exceeds 256 KiB
     * @throws InvalidNameException if the name is not a valid execution name
     */
    public String startExecution(String stateMachineName, String executionName, String inputJson) {
        return engine.start(stateMachineName, executionName, inputJson);
    }

    /**
     * Completes the callback task waiting on {@code taskToken} with {@code outputJson} as its result.
     *
     * @throws InvalidTokenException if the token is malformed
     * @throws TaskDoesNotExistException if the token is unknown or was already used
     * @throws TaskTimedOutException if the task timed out or was closed (branch cancelled, execution ended)
     * @throws InvalidOutputException if the output is not JSON or exceeds 256 KiB
     */
    public void sendTaskSuccess(String taskToken, String outputJson) {
        engine.sendTaskSuccess(taskToken, outputJson);
    }

    /** Fails the callback task waiting on {@code taskToken}; its Retry and Catch apply. Same exceptions as {@link #sendTaskSuccess}. */
    public void sendTaskFailure(String taskToken, String error, String cause) {
        engine.sendTaskFailure(taskToken, error, cause);
    }

    /** @throws ExecutionDoesNotExistException if there is no execution with that ARN */
    public ExecutionDescription describeExecution(String executionArn) {
        return engine.describe(executionArn);
    }

    /** @throws ExecutionDoesNotExistException if there is no execution with that ARN */
    public List<HistoryEvent> getExecutionHistory(String executionArn) {
        return engine.history(executionArn);
    }

    /**
     * Blocks until the execution has finished, or has nothing left to do in this runtime until a task
     * token is sent or a timer fires, or {@code max} has passed; returns its description then.
     */
    public ExecutionDescription awaitQuiescent(String executionArn, Duration max) {
        return engine.awaitQuiescent(executionArn, max);
    }

    /**
     * After a process restart: picks up every RUNNING execution of the store, re-arms its timers and token
     * timeouts, applies callbacks that were accepted but not yet applied, and continues interrupted
     * steps. A task whose handler was running when the process stopped is invoked again (at-least-once);
     * a callback task's handler is not (its token is still valid). Load the definitions and register the
     * handlers first.
     *
     * @throws StateMachineDoesNotExistException naming definitions that are not loaded (the other executions are resumed)
     */
    public void resume() {
        engine.resume();
    }

    /** Stops the worker threads and this runtime's timers. Executions stay in the store for {@link #resume()}. */
    @Override
    public void close() {
        engine.close();
    }

    /** Configures a runtime. Defaults: {@link InMemoryExecutionStore}, system clock, real-time timers, max(4, CPUs) workers. */
    public static final class Builder {
        private InstantSource clock = InstantSource.system();
        private ExecutionStore store;
        private TimerService timers;
        private int workerThreads = Math.max(4, Runtime.getRuntime().availableProcessors());

        private Builder() {}

        /** Clock of the default real-time {@link SystemTimerService}; ignored when {@link #timers} is given. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder executionStore(ExecutionStore store) {
            this.store = Objects.requireNonNull(store);
            return this;
        }

        /** Clock and timer queue, e.g. a {@link ManualTimerService} in tests. The runtime does not close it. */
        public Builder timers(TimerService timers) {
            this.timers = Objects.requireNonNull(timers);
            return this;
        }

        /** Platform threads that run state transitions. Task handlers run on virtual threads, one per invocation. */
        public Builder workerThreads(int workerThreads) {
            if (workerThreads < 1) throw new IllegalArgumentException("workerThreads must be at least 1");
            this.workerThreads = workerThreads;
            return this;
        }

        public LocalStepFunctions build() {
            boolean owns = timers == null;
            TimerService t = owns ? new SystemTimerService(clock) : timers;
            return new LocalStepFunctions(new Engine(store == null ? new InMemoryExecutionStore() : store, t, owns, workerThreads));
        }
    }
}
