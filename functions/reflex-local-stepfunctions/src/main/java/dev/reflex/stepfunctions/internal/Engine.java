package dev.reflex.stepfunctions.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.stepfunctions.ExecutionAlreadyExistsException;
import dev.reflex.stepfunctions.ExecutionDescription;
import dev.reflex.stepfunctions.ExecutionDoesNotExistException;
import dev.reflex.stepfunctions.ExecutionRecord;
import dev.reflex.stepfunctions.ExecutionStatus;
import dev.reflex.stepfunctions.ExecutionStore;
import dev.reflex.stepfunctions.HistoryEvent;
import dev.reflex.stepfunctions.InvalidExecutionInputException;
import dev.reflex.stepfunctions.InvalidNameException;
import dev.reflex.stepfunctions.InvalidOutputException;
import dev.reflex.stepfunctions.InvalidTokenException;
import dev.reflex.stepfunctions.StateMachineDoesNotExistException;
import dev.reflex.stepfunctions.TaskContext;
import dev.reflex.stepfunctions.TaskDoesNotExistException;
import dev.reflex.stepfunctions.TaskFailedException;
import dev.reflex.stepfunctions.TaskHandler;
import dev.reflex.stepfunctions.TaskTimedOutException;
import dev.reflex.stepfunctions.TaskTokenRecord;
import dev.reflex.stepfunctions.TimerService;
import dev.reflex.stepfunctions.TokenStatus;
import dev.reflex.stepfunctions.internal.Definition.Catcher;
import dev.reflex.stepfunctions.internal.Definition.ChoiceBranch;
import dev.reflex.stepfunctions.internal.Definition.ChoiceState;
import dev.reflex.stepfunctions.internal.Definition.FailState;
import dev.reflex.stepfunctions.internal.Definition.Flow;
import dev.reflex.stepfunctions.internal.Definition.Graph;
import dev.reflex.stepfunctions.internal.Definition.Io;
import dev.reflex.stepfunctions.internal.Definition.Machine;
import dev.reflex.stepfunctions.internal.Definition.MapState;
import dev.reflex.stepfunctions.internal.Definition.ParallelState;
import dev.reflex.stepfunctions.internal.Definition.PassState;
import dev.reflex.stepfunctions.internal.Definition.Recoverable;
import dev.reflex.stepfunctions.internal.Definition.ResourceKind;
import dev.reflex.stepfunctions.internal.Definition.Retrier;
import dev.reflex.stepfunctions.internal.Definition.State;
import dev.reflex.stepfunctions.internal.Definition.SucceedState;
import dev.reflex.stepfunctions.internal.Definition.TaskState;
import dev.reflex.stepfunctions.internal.Definition.WaitState;
import dev.reflex.stepfunctions.internal.RunState.Phase;
import dev.reflex.stepfunctions.internal.RunState.Run;
import dev.reflex.stepfunctions.internal.RunState.TimerKind;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The interpreter. Every state transition is one {@link #transact transaction}: load the execution
 * record, change its {@link RunState}, append history events, write it back conditionally on its
 * version, then run the side effects (schedule the next step, invoke a handler, arm a timer). Nothing
 * waits on a thread: pauses are phases in the durable state plus a timer or a token.
 */
public final class Engine implements AutoCloseable {
    private static final String REGION = "local";
    private static final String ACCOUNT = "000000000000";
    private static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/reflex-local-stepfunctions";
    private static final Pattern TOKEN = Pattern.compile("AQ[A-Za-z0-9_-]{86}");
    private static final Pattern NAME = Pattern.compile("[^\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\p{Cntrl}]{1,80}");
    private static final Pattern FUNCTION_ARN =
            Pattern.compile("(?:arn:aws[a-z-]*:lambda:[a-z0-9-]+:)?(?:\\d{12}:)?(?:function:)?([A-Za-z0-9_-]{1,64})(?::[A-Za-z0-9$_-]+)?");
    private static final DateTimeFormatter ISO_MILLIS = RunState.ISO_MILLIS;
    private static final String MAIN = "main";

    private final ExecutionStore store;
    private final TimerService timers;
    private final boolean ownsTimers;
    private final ExecutorService workers;
    /** Task handlers run on virtual threads, one per invocation; {@link #runningHandlers} knows each until it ends. */
    private final ThreadFactory handlerThreads = Thread.ofVirtual().factory();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Machine> machines = new ConcurrentHashMap<>();
    private final Map<String, TaskHandler> handlers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
    private final Map<String, Thread> runningHandlers = new ConcurrentHashMap<>();
    private final Map<String, TimerService.Timer> armedTimers = new ConcurrentHashMap<>();
    private final Object[] stripes = new Object[256];
    private final Object quiet = new Object();
    private volatile boolean closed;

    public Engine(ExecutionStore store, TimerService timers, boolean ownsTimers, int workerThreads) {
        this.store = store;
        this.timers = timers;
        this.ownsTimers = ownsTimers;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(workerThreads, r -> {
            Thread t = new Thread(r, "reflex-sfn-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < stripes.length; i++) stripes[i] = new Object();
    }

    // ---------------------------------------------------------------- API

    public void load(String name, String asl, Map<String, String> substitutions) {
        if (name == null || !NAME.matcher(name).matches()) throw new InvalidNameException("invalid state machine name: " + name);
        machines.put(name, AslParser.parse(name, stateMachineArn(name), asl, substitutions));
    }

    public void registerHandler(String functionName, TaskHandler handler) {
        handlers.put(functionName, handler);
    }

    public String start(String machineName, String executionName, String inputJson) {
        Machine machine = machines.get(machineName);
        if (machine == null) throw new StateMachineDoesNotExistException("state machine not loaded: " + machineName);
        String name = executionName == null ? UUID.randomUUID().toString() : executionName;
        if (!NAME.matcher(name).matches()) throw new InvalidNameException("invalid execution name: " + name);
        JsonNode input;
        try {
            input = Json.parse(inputJson == null ? "{}" : inputJson);
        } catch (Exception e) {
            throw new InvalidExecutionInputException("execution input is not JSON: " + e.getMessage());
        }
        if (input == null) throw new InvalidExecutionInputException("execution input is empty");
        if (Json.exceeds(input, Json.MAX_PAYLOAD_BYTES)) throw new InvalidExecutionInputException("execution input exceeds 262144 bytes");
        String inputText = Json.write(input);
        String arn = "arn:aws:states:" + REGION + ":" + ACCOUNT + ":execution:" + machineName + ":" + name;
        Instant now = timers.instant();
        RunState rs = new RunState();
        Run main = new Run();
        main.id = MAIN;
        main.graph = machine.top().key();
        main.state = machine.top().startAt();
        main.input = input;
        main.phase = Phase.ENTER;
        rs.runs.put(MAIN, main);
        if (machine.timeoutSeconds() != null) rs.deadline = now.plusSeconds(machine.timeoutSeconds()).toString();
        rs.lastEventId = 1;
        main.lastEventId = 1;
        HistoryEvent started = HistoryEvent.withDetails(1, 0, now, "ExecutionStarted", () -> {
            ObjectNode details = Json.object();
            details.put("input", inputText);
            details.set("inputDetails", notTruncated());
            details.put("roleArn", ROLE);
            return details;
        });
        Instant deadline = rs.deadline == null ? null : Instant.parse(rs.deadline);
        ExecutionRecord record = new ExecutionRecord(arn, machineName, name, ExecutionStatus.RUNNING, inputText, null, null, null,
                now, null, new Snapshot(rs), 1);
        if (!store.create(record, List.of(started))) {
            throw new ExecutionAlreadyExistsException("Execution Already Exists: '" + arn + "'");
        }
        if (deadline != null) armTimer(arn, "exec", 0, "DEADLINE", deadline, () -> onDeadline(arn));
        submit(arn, () -> step(arn, MAIN));
        return arn;
    }

    public ExecutionDescription describe(String arn) {
        return store.find(arn).map(ExecutionRecord::describe)
                .orElseThrow(() -> new ExecutionDoesNotExistException("Execution Does Not Exist: '" + arn + "'"));
    }

    public List<HistoryEvent> history(String arn) {
        if (store.find(arn).isEmpty()) throw new ExecutionDoesNotExistException("Execution Does Not Exist: '" + arn + "'");
        return store.history(arn);
    }

    public void sendTaskSuccess(String token, String outputJson) {
        checkToken(token);
        JsonNode output;
        try {
            output = Json.parse(outputJson);
        } catch (Exception e) {
            throw new InvalidOutputException("task output is not JSON: " + e.getMessage());
        }
        if (output == null) throw new InvalidOutputException("task output is empty");
        if (Json.exceeds(output, Json.MAX_PAYLOAD_BYTES)) throw new InvalidOutputException("task output exceeds 262144 bytes");
        TaskTokenRecord rec = claimToken(token, TokenStatus.SUCCEEDED, Json.write(output), null, null);
        applyTokenOutcome(rec);
    }

    public void sendTaskFailure(String token, String error, String cause) {
        checkToken(token);
        TaskTokenRecord rec = claimToken(token, TokenStatus.FAILED, null, error == null ? "" : error, cause == null ? "" : cause);
        applyTokenOutcome(rec);
    }

    public ExecutionDescription awaitQuiescent(String arn, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (quiet) {
            while (true) {
                // idle first, then the status: read the other way round, a transition that finishes in between is missed
                AtomicInteger n = active.get(arn);
                boolean idle = n == null || n.get() == 0;
                ExecutionDescription d = describe(arn);
                if (d.status().isFinished() || idle) return d;
                long left = deadline - System.nanoTime();
                if (left <= 0) return d;
                try {
                    quiet.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 50)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return describe(arn);
                }
            }
        }
    }

    public void resume() {
        List<String> missing = new ArrayList<>();
        for (String arn : store.runningExecutions()) {
            Optional<ExecutionRecord> found = store.find(arn);
            if (found.isEmpty()) continue;
            ExecutionRecord rec = found.get();
            if (!machines.containsKey(rec.stateMachineName())) {
                missing.add(rec.stateMachineName());
                continue;
            }
            RunState rs = Snapshot.read(rec.runtimeState());
            if (rs.deadline != null) armTimer(arn, "exec", 0, "DEADLINE", Instant.parse(rs.deadline), () -> onDeadline(arn));
            for (Run run : rs.runs.values()) {
                String runId = run.id;
                int attempt = run.attempt;
                switch (run.phase) {
                    case ENTER, EXECUTE -> submit(arn, () -> step(arn, runId));
                    case TASK_RUNNING -> {
                        TaskState task = (TaskState) machine(rec).graphs().get(run.graph).state(run.state);
                        invokeHandler(arn, run, task);
                        if (run.timerDue != null) armTaskTimeout(arn, runId, attempt, Instant.parse(run.timerDue), false);
                    }
                    case WAITING_TOKEN -> {
                        Optional<TaskTokenRecord> token = store.findToken(run.token);
                        if (token.isEmpty()) continue;
                        switch (token.get().status()) {
                            case SUCCEEDED, FAILED -> submit(arn, () -> applyTokenOutcome(token.get()));
                            case TIMED_OUT -> submit(arn, () -> taskTimedOut(arn, runId, attempt));
                            case WAITING -> {
                                if (run.timerDue != null) armTaskTimeout(arn, runId, attempt, Instant.parse(run.timerDue), true);
                            }
                            case CANCELLED -> { }
                        }
                    }
                    case WAITING_TIMER -> armRunTimer(arn, runId, attempt, run.timerKind, Instant.parse(run.timerDue));
                    case CHILDREN -> { }
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new StateMachineDoesNotExistException("load these state machines before resume(): " + missing);
        }
    }

    @Override
    public void close() {
        closed = true;
        armedTimers.values().forEach(TimerService.Timer::cancel);
        armedTimers.clear();
        runningHandlers.values().forEach(Thread::interrupt);
        workers.shutdownNow();
        if (ownsTimers) timers.close();
    }

    // ---------------------------------------------------------------- scheduling and bookkeeping

    private void submit(String arn, Runnable work) {
        if (closed) return;
        begin(arn);
        try {
            workers.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    if (!closed) throw e;
                } finally {
                    end(arn);
                }
            });
        } catch (RuntimeException rejected) {
            end(arn);
        }
    }

    private void begin(String arn) {
        active.compute(arn, (k, n) -> {
            AtomicInteger counter = n == null ? new AtomicInteger() : n;
            counter.incrementAndGet();
            return counter;
        });
    }

    /** The last piece of work of an execution removes its counter, so a long-lived runtime does not grow. */
    private void end(String arn) {
        boolean[] quietNow = {false};
        active.computeIfPresent(arn, (k, n) -> {
            if (n.decrementAndGet() <= 0) {
                quietNow[0] = true;
                return null;
            }
            return n;
        });
        if (quietNow[0]) {
            synchronized (quiet) {
                quiet.notifyAll();
            }
        }
    }

    /** Executions with work in flight (a handler running or a transition being applied). */
    public int executionsInFlight() {
        return active.size();
    }

    private void armTimer(String arn, String runId, int attempt, String kind, Instant due, Runnable action) {
        if (closed) return;
        String key = arn + "|" + runId + "|" + attempt + "|" + kind;
        TimerService.Timer timer = timers.schedule(due, () -> {
            armedTimers.remove(key);
            if (!closed) submit(arn, action);
        });
        armedTimers.put(key, timer);
    }

    private void cancelTimers(String arn, String runId, int attempt) {
        if (armedTimers.isEmpty()) return;
        for (String kind : List.of("WAIT", "RETRY", "TASK_TIMEOUT", "DEADLINE")) {
            TimerService.Timer t = armedTimers.remove(arn + "|" + runId + "|" + attempt + "|" + kind);
            if (t != null) t.cancel();
        }
    }

    private void armRunTimer(String arn, String runId, int attempt, TimerKind kind, Instant due) {
        armTimer(arn, runId, attempt, kind.name(), due, () -> onTimer(arn, runId, attempt, kind));
    }

    private void armTaskTimeout(String arn, String runId, int attempt, Instant due, boolean callback) {
        armTimer(arn, runId, attempt, TimerKind.TASK_TIMEOUT.name(), due, () -> {
            if (callback) {
                Optional<TaskTokenRecord> token = tokenOfRun(arn, runId, attempt);
                if (token.isEmpty()) return;
                TaskTokenRecord t = token.get();
                if (!store.updateToken(t.withOutcome(TokenStatus.TIMED_OUT, null, StateError.TIMEOUT, null), TokenStatus.WAITING)) return;
            }
            taskTimedOut(arn, runId, attempt);
        });
    }

    private Optional<TaskTokenRecord> tokenOfRun(String arn, String runId, int attempt) {
        return store.find(arn).map(r -> Snapshot.read(r.runtimeState()).runs.get(runId))
                .filter(run -> run.attempt == attempt && run.token != null)
                .flatMap(run -> store.findToken(run.token));
    }

    private static String handlerKey(String arn, String runId, int attempt) {
        return arn + "|" + runId + "|" + attempt;
    }

    // ---------------------------------------------------------------- transactions

    /** One state transition, under the execution's lock, committed with a conditional write. */
    interface Body {
        void apply(Tx tx);
    }

    final class Tx {
        final ExecutionRecord before;
        final RunState rs;
        final Machine machine;
        final Instant now;
        final List<HistoryEvent> events = new ArrayList<>(4);
        final List<Runnable> effects = new ArrayList<>(2);
        ExecutionStatus status;
        String output;
        String error;
        String cause;
        boolean changed;
        private JsonNode executionInput;

        /** {@code rs}: this transition's own copy of the committed state. */
        Tx(ExecutionRecord before, RunState rs) {
            this.before = before;
            this.rs = rs;
            this.machine = machine(before);
            this.now = timers.instant();
            this.status = before.status();
        }

        String arn() { return before.executionArn(); }

        /** Appends an event; {@code details} builds its details when the history is read, from values that never change. */
        void event(Run run, String type, Supplier<ObjectNode> details) {
            long id = ++rs.lastEventId;
            long previous = run == null ? id - 1 : run.lastEventId;
            if (run != null) run.lastEventId = id;
            events.add(HistoryEvent.withDetails(id, previous, now, type, details));
            changed = true;
        }

        State state(Run run) {
            return machine.graphs().get(run.graph).state(run.state);
        }

        /**
         * The context object ({@code $$}) as the run sees it now; built only if a path or intrinsic reads it.
         * Whatever it depends on is taken now, so later changes to the run do not show.
         */
        Supplier<JsonNode> context(Run run, String token, Integer itemIndex, JsonNode itemValue) {
            String stateName = run.state;
            Instant enteredAt = run.enteredAt;
            int retryCount = run.retryCount;
            return new Supplier<>() {
                private JsonNode built;

                @Override
                public JsonNode get() {
                    if (built == null) built = buildContext(stateName, enteredAt, retryCount, token, itemIndex, itemValue);
                    return built;
                }
            };
        }

        private JsonNode buildContext(String stateName, Instant enteredAt, int retryCount, String token, Integer itemIndex,
                                      JsonNode itemValue) {
            if (executionInput == null) executionInput = parse(before.input());
            ObjectNode ctx = Json.object();
            ObjectNode exec = ctx.putObject("Execution");
            exec.put("Id", before.executionArn());
            exec.set("Input", executionInput);
            exec.put("Name", before.name());
            exec.put("RoleArn", ROLE);
            exec.put("StartTime", ISO_MILLIS.format(before.startDate()));
            exec.put("RedriveCount", 0);
            ObjectNode sm = ctx.putObject("StateMachine");
            sm.put("Id", machine.arn());
            sm.put("Name", machine.name());
            ObjectNode st = ctx.putObject("State");
            st.put("Name", stateName);
            st.put("EnteredTime", ISO_MILLIS.format(enteredAt == null ? now : enteredAt));
            st.put("RetryCount", retryCount);
            if (token != null) ctx.putObject("Task").put("Token", token);
            if (itemIndex != null) {
                ObjectNode item = ctx.putObject("Map").putObject("Item");
                item.put("Index", itemIndex);
                item.set("Value", itemValue);
            }
            return ctx;
        }
    }

    private void transact(String arn, Body body) {
        List<Runnable> effects = null;
        synchronized (stripes[Math.floorMod(arn.hashCode(), stripes.length)]) {
            for (int attempt = 0; ; attempt++) {
                Optional<ExecutionRecord> found = store.find(arn);
                if (found.isEmpty() || found.get().status().isFinished()) return;
                ExecutionRecord b = found.get();
                Tx tx = new Tx(b, working(b.runtimeState()));
                body.apply(tx);
                if (!tx.changed) return;
                boolean finished = tx.status.isFinished();
                ExecutionRecord next = new ExecutionRecord(b.executionArn(), b.stateMachineName(), b.name(), tx.status, b.input(),
                        tx.output, tx.error, tx.cause, b.startDate(), finished ? tx.now : null, new Snapshot(tx.rs), b.version() + 1);
                if (store.update(next, b.version(), tx.events)) {
                    effects = tx.effects;
                    break;
                }
                if (attempt >= 20) throw new IllegalStateException("execution " + arn + " keeps changing under this runtime");
            }
        }
        for (Runnable effect : effects) effect.run();
    }

    /** A private, changeable copy of the stored state for one transition. */
    private static RunState working(dev.reflex.stepfunctions.RuntimeState stored) {
        return stored instanceof Snapshot s ? s.copyForTransition() : Snapshot.read(stored);
    }

    private static ObjectNode notTruncated() {
        return Json.object().put("truncated", false);
    }

    // ---------------------------------------------------------------- stepping

    private void step(String arn, String runId) {
        transact(arn, tx -> {
            Run run = tx.rs.runs.get(runId);
            if (run == null || (run.phase != Phase.ENTER && run.phase != Phase.EXECUTE)) return;
            step(tx, run);
        });
    }

    private void step(Tx tx, Run run) {
        State state = tx.state(run);
        try {
            if (run.phase == Phase.ENTER) {
                run.enteredAt = tx.now;
                run.retries.clear();
                run.retryCount = 0;
                String name = state.name();
                JsonNode input = run.input;
                tx.event(run, state.type() + "StateEntered", () -> {
                    ObjectNode d = Json.object().put("name", name).put("input", Json.write(input));
                    d.set("inputDetails", notTruncated());
                    return d;
                });
                run.phase = Phase.EXECUTE;
                tx.changed = true;
                checkSize(run.input, "state input of " + state.name());
            }
            switch (state) {
                case PassState p -> {
                    JsonNode effective = effectiveInput(tx, run, p.io());
                    JsonNode result = p.result() != null ? p.result().deepCopy()
                            : p.io().parameters() != null ? p.io().parameters().evaluate(effective, tx.context(run, null, null, null)) : effective;
                    finish(tx, run, p, p.flow(), result);
                }
                case ChoiceState c -> {
                    JsonNode effective = effectiveInput(tx, run, c.io());
                    Supplier<JsonNode> ctx = tx.context(run, null, null, null);
                    String next = c.defaultNext();
                    boolean matched = false;
                    for (ChoiceBranch b : c.choices()) {
                        if (b.rule().test(effective, ctx)) {
                            next = b.next();
                            matched = true;
                            break;
                        }
                    }
                    if (!matched && next == null) {
                        throw new StateError(StateError.NO_CHOICE, "No Matches!");
                    }
                    JsonNode out = outputOf(c.io(), effective, ctx);
                    exit(tx, run, c, out);
                    goTo(tx, run, next, out);
                }
                case WaitState w -> {
                    JsonNode effective = effectiveInput(tx, run, w.io());
                    Instant due = waitUntil(tx, w, effective);
                    run.effectiveInput = effective;
                    run.attempt++;
                    run.phase = Phase.WAITING_TIMER;
                    run.timerKind = TimerKind.WAIT;
                    run.timerDue = due.toString();
                    String arn = tx.arn();
                    String id = run.id;
                    int attempt = run.attempt;
                    tx.effects.add(() -> armRunTimer(arn, id, attempt, TimerKind.WAIT, due));
                }
                case SucceedState s -> {
                    JsonNode effective = effectiveInput(tx, run, s.io());
                    JsonNode out = outputOf(s.io(), effective, tx.context(run, null, null, null));
                    exit(tx, run, s, out);
                    endRun(tx, run, out);
                }
                case FailState f -> {
                    JsonNode input = run.input;
                    Supplier<JsonNode> ctx = tx.context(run, null, null, null);
                    String error = f.error();
                    String cause = f.cause();
                    if (f.errorPath() != null) error = textOf(f.errorPath().evaluate(input, ctx));
                    if (f.causePath() != null) cause = textOf(f.causePath().evaluate(input, ctx));
                    failRun(tx, run, error, cause);
                }
                case TaskState t -> startTask(tx, run, t);
                case ParallelState p -> startParallel(tx, run, p);
                case MapState m -> startMap(tx, run, m);
            }
        } catch (StateError e) {
            handleError(tx, run, e);
        }
    }

    private static String textOf(JsonNode n) {
        return n.isTextual() ? n.textValue() : n.isNull() ? null : Json.write(n);
    }

    private JsonNode effectiveInput(Tx tx, Run run, Io io) throws StateError {
        if (io.discardInput()) return Json.object();
        return io.inputPath().require(run.input, tx.context(run, null, null, null), "InputPath");
    }

    private JsonNode outputOf(Io io, JsonNode value, Supplier<JsonNode> ctx) throws StateError {
        if (io.discardOutput()) return Json.object();
        JsonNode out = io.outputPath().require(value, ctx, "OutputPath");
        checkSize(out, "state output");
        return out;
    }

    private static void checkSize(JsonNode node, String what) throws StateError {
        if (Json.exceeds(node, Json.MAX_PAYLOAD_BYTES)) {
            throw new StateError(StateError.DATA_LIMIT, "The " + what + " has a size exceeding the maximum number of bytes service limit (262144).");
        }
    }

    private Instant waitUntil(Tx tx, WaitState w, JsonNode effective) throws StateError {
        if (w.seconds() != null) return tx.now.plusSeconds(w.seconds());
        if (w.timestamp() != null) return w.timestamp();
        if (w.secondsPath() != null) {
            JsonNode v = w.secondsPath().require(effective, null, "SecondsPath");
            if (!v.isIntegralNumber() || v.longValue() < 0) {
                throw StateError.runtime("The SecondsPath parameter does not reference a valid non-negative integer: " + v);
            }
            return tx.now.plusSeconds(v.longValue());
        }
        JsonNode v = w.timestampPath().require(effective, null, "TimestampPath");
        var t = ChoiceRule.timestamp(v);
        if (t == null) throw StateError.runtime("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: " + v);
        return t.toInstant();
    }

    /** Result processing of Task, Pass, Parallel and Map: ResultSelector, ResultPath, OutputPath, then the transition. */
    private void finish(Tx tx, Run run, State state, Flow flow, JsonNode result) throws StateError {
        Io io = state.io();
        Supplier<JsonNode> ctx = tx.context(run, null, null, null);
        JsonNode selected = io.resultSelector() != null ? io.resultSelector().evaluate(result, ctx) : result;
        JsonNode input = run.input;
        JsonNode merged = io.discardResult() ? input : io.resultPath().setInto(input, selected);
        JsonNode out = outputOf(io, merged, ctx);
        exit(tx, run, state, out);
        if (flow.end()) endRun(tx, run, out);
        else goTo(tx, run, flow.next(), out);
    }

    private void exit(Tx tx, Run run, State state, JsonNode out) {
        String name = state.name();
        tx.event(run, state.type() + "StateExited", () -> {
            ObjectNode d = Json.object().put("name", name).put("output", Json.write(out));
            d.set("outputDetails", notTruncated());
            return d;
        });
    }

    private void goTo(Tx tx, Run run, String next, JsonNode input) {
        leavePhase(tx, run);
        run.state = next;
        run.input = Json.canonical(input);
        run.phase = Phase.ENTER;
        run.attempt++;
        String arn = tx.arn();
        String id = run.id;
        tx.effects.add(() -> submit(arn, () -> step(arn, id)));
    }

    /** Forgets the current phase's waiting artefacts (timer, token, handler) before the run moves on. */
    private void leavePhase(Tx tx, Run run) {
        String arn = tx.arn();
        String id = run.id;
        int attempt = run.attempt;
        if (run.timerDue != null || run.phase == Phase.TASK_RUNNING || run.phase == Phase.WAITING_TOKEN) {
            tx.effects.add(() -> cancelTimers(arn, id, attempt));
        }
        run.timerDue = null;
        run.timerKind = null;
        run.token = null;
        run.function = null;
        run.payload = null;
        run.effectiveInput = null;
        run.results = null;
        run.items = null;
        run.pending = 0;
        run.nextIndex = 0;
        tx.changed = true;
    }

    /** The run reached an End (or Succeed): the execution succeeds, or the parent collects the result. */
    private void endRun(Tx tx, Run run, JsonNode output) {
        leavePhase(tx, run);
        tx.rs.runs.remove(run.id);
        if (run.parentId == null) {
            tx.status = ExecutionStatus.SUCCEEDED;
            String text = Json.write(output);
            tx.output = text;
            tx.event(run, "ExecutionSucceeded", () -> {
                ObjectNode d = Json.object().put("output", text);
                d.set("outputDetails", notTruncated());
                return d;
            });
            stopEverything(tx);
            return;
        }
        Run parent = tx.rs.runs.get(run.parentId);
        State parentState = tx.state(parent);
        // a new array: the committed one stays as it was
        ArrayNode results = Json.NODES.arrayNode(parent.results.size());
        results.addAll((ArrayNode) parent.results);
        results.set(run.index, Json.canonical(output));
        parent.results = results;
        parent.pending--;
        parent.lastEventId = Math.max(parent.lastEventId, run.lastEventId);
        try {
            if (parentState instanceof MapState m) {
                int index = run.index;
                tx.event(parent, "MapIterationSucceeded", () -> Json.object().put("name", m.name()).put("index", index));
                startIterations(tx, parent, m);
                if (parent.pending == 0 && parent.nextIndex >= parent.items.size()) {
                    tx.event(parent, "MapStateSucceeded", Json::object);
                    finishChildren(tx, parent, m, m.flow(), results);
                }
            } else if (parentState instanceof ParallelState p && parent.pending == 0) {
                tx.event(parent, "ParallelStateSucceeded", Json::object);
                finishChildren(tx, parent, p, p.flow(), results);
            }
        } catch (StateError e) {
            handleError(tx, parent, e);
        }
    }

    private void finishChildren(Tx tx, Run parent, State state, Flow flow, JsonNode results) throws StateError {
        checkSize(results, "result of " + state.name());
        finish(tx, parent, state, flow, results);
    }

    /** The run failed with an error nobody caught: the execution fails, or the parent state fails with it. */
    private void failRun(Tx tx, Run run, String error, String cause) {
        leavePhase(tx, run);
        tx.rs.runs.remove(run.id);
        if (run.parentId == null) {
            failExecution(tx, run, error, cause);
            return;
        }
        Run parent = tx.rs.runs.get(run.parentId);
        parent.lastEventId = Math.max(parent.lastEventId, run.lastEventId);
        State parentState = tx.state(parent);
        cancelChildren(tx, parent);
        if (parentState instanceof MapState m) {
            int index = run.index;
            tx.event(parent, "MapIterationFailed", () -> Json.object().put("name", m.name()).put("index", index));
            tx.event(parent, "MapStateFailed", Json::object);
        } else {
            tx.event(parent, "ParallelStateFailed", Json::object);
        }
        handleError(tx, parent, new StateError(error, cause));
    }

    private void failExecution(Tx tx, Run run, String error, String cause) {
        tx.status = ExecutionStatus.FAILED;
        tx.error = error;
        tx.cause = cause;
        tx.event(run, "ExecutionFailed", () -> {
            ObjectNode d = Json.object();
            if (error != null) d.put("error", error);
            if (cause != null) d.put("cause", cause);
            return d;
        });
        stopEverything(tx);
    }

    private void stopEverything(Tx tx) {
        for (Run r : List.copyOf(tx.rs.runs.values())) cancelRun(tx, r);
        tx.rs.runs.clear();
        String arn = tx.arn();
        tx.effects.add(() -> cancelTimers(arn, "exec", 0));
    }

    private void cancelChildren(Tx tx, Run parent) {
        for (Run r : List.copyOf(tx.rs.runs.values())) {
            if (parent.id.equals(r.parentId)) {
                cancelRun(tx, r);
                tx.rs.runs.remove(r.id);
            }
        }
    }

    /** Stops a run and its descendants: interrupt its handler, cancel its timers, close its token. */
    private void cancelRun(Tx tx, Run run) {
        cancelChildren(tx, run);
        String arn = tx.arn();
        String id = run.id;
        int attempt = run.attempt;
        String token = run.token;
        tx.effects.add(() -> {
            cancelTimers(arn, id, attempt);
            Thread handler = runningHandlers.remove(handlerKey(arn, id, attempt));
            if (handler != null) handler.interrupt();
            if (token != null) {
                store.findToken(token).filter(t -> t.status() == TokenStatus.WAITING)
                        .ifPresent(t -> store.updateToken(t.withOutcome(TokenStatus.CANCELLED, null, null, null), TokenStatus.WAITING));
            }
        });
        tx.changed = true;
    }

    // ---------------------------------------------------------------- errors

    private void handleError(Tx tx, Run run, StateError e) {
        State state = tx.state(run);
        if (e.error().equals(StateError.RUNTIME)) {
            leavePhase(tx, run);
            failExecution(tx, run, e.error(), "An error occurred while executing the state '" + state.name() + "'. " + e.errorCause());
            return;
        }
        if (state instanceof Recoverable r) {
            List<Retrier> retriers = r.retry();
            for (int i = 0; i < retriers.size(); i++) {
                Retrier rt = retriers.get(i);
                if (!matches(rt.errorEquals(), e.error())) continue;
                int count = run.retries.getOrDefault(String.valueOf(i), 0);
                if (count < rt.maxAttempts()) {
                    double seconds = rt.intervalSeconds() * Math.pow(rt.backoffRate(), count);
                    if (rt.maxDelaySeconds() != null) seconds = Math.min(seconds, rt.maxDelaySeconds());
                    if (rt.fullJitter()) seconds = ThreadLocalRandom.current().nextDouble() * seconds;
                    Instant due = tx.now.plusMillis(Math.round(seconds * 1000));
                    leavePhase(tx, run);
                    run.retries.put(String.valueOf(i), count + 1);
                    run.retryCount++;
                    run.attempt++;
                    run.phase = Phase.WAITING_TIMER;
                    run.timerKind = TimerKind.RETRY;
                    run.timerDue = due.toString();
                    String arn = tx.arn();
                    String id = run.id;
                    int attempt = run.attempt;
                    tx.effects.add(() -> armRunTimer(arn, id, attempt, TimerKind.RETRY, due));
                    return;
                }
                break;
            }
            for (Catcher c : r.catches()) {
                if (!matches(c.errorEquals(), e.error())) continue;
                ObjectNode errorOutput = Json.object();
                errorOutput.put("Error", e.error());
                errorOutput.put("Cause", e.errorCause());
                JsonNode input = run.input;
                JsonNode out;
                try {
                    out = c.discardResult() ? input : c.resultPath().setInto(input, errorOutput);
                    checkSize(out, "state output");
                } catch (StateError inner) {
                    failRun(tx, run, inner.error(), inner.errorCause());
                    return;
                }
                exit(tx, run, state, out);
                goTo(tx, run, c.next(), out);
                return;
            }
        }
        failRun(tx, run, e.error(), e.errorCause());
    }

    /** Error-name matching of Retry/Catch, including the States.ALL and States.TaskFailed wildcards. */
    static boolean matches(List<String> names, String error) {
        if (names.contains(error)) return true;
        if (StateError.RUNTIME.equals(error) || StateError.DATA_LIMIT.equals(error)) return false;
        if (names.contains(StateError.ALL)) return true;
        return names.contains(StateError.TASK_FAILED) && !StateError.TIMEOUT.equals(error);
    }

    // ---------------------------------------------------------------- tasks

    private String newToken() {
        byte[] bytes = new byte[64];
        random.nextBytes(bytes);
        return "AQ" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void startTask(Tx tx, Run run, TaskState t) throws StateError {
        JsonNode effective = effectiveInput(tx, run, t.io());
        String token = t.resource().callback() ? newToken() : null;
        Supplier<JsonNode> ctx = tx.context(run, token, null, null);
        JsonNode params = t.io().parameters() != null ? t.io().parameters().evaluate(effective, ctx) : effective;
        String function;
        JsonNode payload;
        if (t.resource().kind() == ResourceKind.LAMBDA_FUNCTION_ARN) {
            function = t.resource().functionName();
            payload = params;
        } else {
            JsonNode fn = params.get("FunctionName");
            if (fn == null || !fn.isTextual()) throw StateError.runtime("lambda:invoke needs a FunctionName string, got " + fn);
            var m = FUNCTION_ARN.matcher(fn.textValue());
            function = m.matches() ? m.group(1) : fn.textValue();
            payload = params.has("Payload") ? params.get("Payload") : Json.object();
        }
        Integer timeout = t.timeoutSeconds();
        if (t.timeoutSecondsPath() != null) {
            JsonNode v = t.timeoutSecondsPath().require(effective, null, "TimeoutSecondsPath");
            if (!v.isIntegralNumber() || v.intValue() <= 0) {
                throw StateError.runtime("The TimeoutSecondsPath parameter does not reference a valid positive integer: " + v);
            }
            timeout = v.intValue();
        }
        leavePhase(tx, run);
        run.attempt++;
        run.phase = token != null ? Phase.WAITING_TOKEN : Phase.TASK_RUNNING;
        run.token = token;
        run.function = function;
        run.payload = payload;
        if (timeout != null) {
            run.timerDue = tx.now.plusSeconds(timeout).toString();
            run.timerKind = TimerKind.TASK_TIMEOUT;
        }
        boolean lambdaEvents = t.resource().kind() == ResourceKind.LAMBDA_FUNCTION_ARN && token == null;
        Integer timeoutSeconds = timeout;
        if (lambdaEvents) {
            tx.event(run, "LambdaFunctionScheduled", () -> {
                ObjectNode d = Json.object().put("resource", t.resource().arn()).put("input", Json.write(payload));
                d.set("inputDetails", notTruncated());
                if (timeoutSeconds != null) d.put("timeoutInSeconds", timeoutSeconds);
                return d;
            });
            tx.event(run, "LambdaFunctionStarted", Json::object);
        } else {
            tx.event(run, "TaskScheduled", () -> {
                ObjectNode d = resourceDetails(t).put("region", REGION).put("parameters", Json.write(params));
                if (timeoutSeconds != null) d.put("timeoutInSeconds", timeoutSeconds);
                return d;
            });
            tx.event(run, "TaskStarted", () -> resourceDetails(t));
        }
        if (token != null) {
            store.putToken(new TaskTokenRecord(token, tx.arn(), run.id, run.attempt, run.state, TokenStatus.WAITING, null, null, null, tx.now));
        }
        String arn = tx.arn();
        String id = run.id;
        int attempt = run.attempt;
        Instant due = run.timerDue == null ? null : Instant.parse(run.timerDue);
        Run snapshot = copyForInvocation(run);
        tx.effects.add(() -> {
            if (due != null) armTaskTimeout(arn, id, attempt, due, token != null);
            invokeHandler(arn, snapshot, t);
        });
    }

    private static Run copyForInvocation(Run run) {
        Run copy = new Run();
        copy.id = run.id;
        copy.attempt = run.attempt;
        copy.state = run.state;
        copy.function = run.function;
        copy.payload = run.payload;
        copy.token = run.token;
        return copy;
    }

    private static ObjectNode resourceDetails(TaskState t) {
        String arn = t.resource().arn();
        if (t.resource().kind() == ResourceKind.LAMBDA_INVOKE) {
            return Json.object().put("resourceType", "lambda").put("resource", arn.substring("arn:aws:states:::lambda:".length()));
        }
        return Json.object().put("resourceType", "lambda").put("resource", arn);
    }

    private record Outcome(JsonNode result, String error, String cause) {}

    private void invokeHandler(String arn, Run run, TaskState task) {
        if (closed) return;
        String runId = run.id;
        int attempt = run.attempt;
        String function = run.function;
        String token = run.token;
        JsonNode payload = Json.canonicalCopy(run.payload);
        TaskContext context = new TaskContext(arn, run.state, token);
        String key = handlerKey(arn, runId, attempt);
        begin(arn);
        Thread handler = handlerThreads.newThread(() -> {
            Thread self = Thread.currentThread();
            boolean forgotten = false;
            try {
                Outcome outcome = call(function, payload, context);
                runningHandlers.remove(key, self);
                forgotten = true;
                Thread.interrupted(); // an interrupt that raced with the handler's end is not meant for what follows
                if (!closed) onHandlerDone(arn, runId, attempt, task, token, outcome);
            } finally {
                if (!forgotten) runningHandlers.remove(key, self);
                end(arn);
            }
        });
        // known before it runs, so a timeout or a cancellation can interrupt it at any point
        runningHandlers.put(key, handler);
        try {
            handler.start();
        } catch (RuntimeException rejected) {
            runningHandlers.remove(key, handler);
            end(arn);
            return;
        }
        if (closed) handler.interrupt();
    }

    private Outcome call(String function, JsonNode payload, TaskContext context) {
        TaskHandler handler = handlers.get(function);
        if (handler == null) {
            return new Outcome(null, "Lambda.ResourceNotFoundException",
                    "Function not found: arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + function);
        }
        try {
            JsonNode result = handler.handle(payload, context);
            // what a Lambda function returns reaches the state machine as JSON text: a canonical copy is that value
            return new Outcome(result == null ? Json.NODES.nullNode() : Json.canonicalCopy(result), null, null);
        } catch (TaskFailedException e) {
            return new Outcome(null, e.error(), e.errorCause());
        } catch (Throwable e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return new Outcome(null, e.getClass().getName(), e.getMessage());
        }
    }

    private void onHandlerDone(String arn, String runId, int attempt, TaskState task, String token, Outcome outcome) {
        if (token != null) {
            if (outcome.error() == null) {
                if (task.resource().kind() == ResourceKind.LAMBDA_INVOKE) {
                    transact(arn, tx -> {
                        Run run = tx.rs.runs.get(runId);
                        if (run == null || run.attempt != attempt || run.phase != Phase.WAITING_TOKEN) return;
                        JsonNode response = invokeResponse(outcome.result());
                        tx.event(run, "TaskSubmitted", () -> {
                            ObjectNode d = resourceDetails(task).put("output", Json.write(response));
                            d.set("outputDetails", notTruncated());
                            return d;
                        });
                    });
                }
                return;
            }
            Optional<TaskTokenRecord> rec = store.findToken(token);
            if (rec.isEmpty() || !store.updateToken(rec.get().withOutcome(TokenStatus.FAILED, null, outcome.error(), outcome.cause()),
                    TokenStatus.WAITING)) {
                return;
            }
        }
        transact(arn, tx -> {
            Run run = tx.rs.runs.get(runId);
            boolean expected = token == null ? run != null && run.phase == Phase.TASK_RUNNING : run != null && run.phase == Phase.WAITING_TOKEN;
            if (!expected || run.attempt != attempt) return;
            completeTask(tx, run, task, outcome);
        });
    }

    private static JsonNode invokeResponse(JsonNode payload) {
        ObjectNode r = Json.object();
        r.put("ExecutedVersion", "$LATEST");
        r.set("Payload", payload);
        r.put("StatusCode", 200);
        return r;
    }

    private void completeTask(Tx tx, Run run, TaskState task, Outcome outcome) {
        boolean lambdaEvents = task.resource().kind() == ResourceKind.LAMBDA_FUNCTION_ARN && run.token == null;
        String arn = tx.arn();
        String id = run.id;
        int attempt = run.attempt;
        tx.effects.add(() -> cancelTimers(arn, id, attempt));
        if (outcome.error() != null) {
            tx.event(run, lambdaEvents ? "LambdaFunctionFailed" : "TaskFailed", () -> {
                ObjectNode d = lambdaEvents ? Json.object() : resourceDetails(task);
                d.put("error", outcome.error());
                if (outcome.cause() != null) d.put("cause", outcome.cause());
                return d;
            });
            handleError(tx, run, new StateError(outcome.error(), outcome.cause()));
            return;
        }
        JsonNode result = task.resource().kind() == ResourceKind.LAMBDA_INVOKE && run.token == null
                ? invokeResponse(outcome.result()) : outcome.result();
        tx.event(run, lambdaEvents ? "LambdaFunctionSucceeded" : "TaskSucceeded", () -> {
            ObjectNode d = lambdaEvents ? Json.object() : resourceDetails(task);
            d.put("output", Json.write(result));
            d.set("outputDetails", notTruncated());
            return d;
        });
        try {
            checkSize(result, "result of " + task.name());
            finish(tx, run, task, task.flow(), result);
        } catch (StateError e) {
            handleError(tx, run, e);
        }
    }

    private void taskTimedOut(String arn, String runId, int attempt) {
        transact(arn, tx -> {
            Run run = tx.rs.runs.get(runId);
            if (run == null || run.attempt != attempt || (run.phase != Phase.TASK_RUNNING && run.phase != Phase.WAITING_TOKEN)) return;
            TaskState task = (TaskState) tx.state(run);
            boolean lambdaEvents = task.resource().kind() == ResourceKind.LAMBDA_FUNCTION_ARN && run.token == null;
            tx.event(run, lambdaEvents ? "LambdaFunctionTimedOut" : "TaskTimedOut", () -> {
                ObjectNode d = lambdaEvents ? Json.object() : resourceDetails(task);
                d.put("error", StateError.TIMEOUT);
                d.put("cause", "Task timed out.");
                return d;
            });
            String key = handlerKey(arn, runId, attempt);
            tx.effects.add(() -> {
                Thread handler = runningHandlers.remove(key);
                if (handler != null) handler.interrupt();
            });
            handleError(tx, run, new StateError(StateError.TIMEOUT, "Task timed out."));
        });
    }

    private void checkToken(String token) {
        if (token == null || token.length() > 2048 || !TOKEN.matcher(token).matches()) {
            throw new InvalidTokenException("Invalid Token: '" + (token == null ? "null" : token.length() > 64 ? token.substring(0, 64) + "..." : token) + "'");
        }
    }

    /** Moves the token out of WAITING exactly once, or explains why it cannot. */
    private TaskTokenRecord claimToken(String token, TokenStatus status, String output, String error, String cause) {
        for (int i = 0; i < 3; i++) {
            TaskTokenRecord rec = store.findToken(token).orElseThrow(() -> new TaskDoesNotExistException("Task Does Not Exist"));
            switch (rec.status()) {
                case TIMED_OUT, CANCELLED -> throw new TaskTimedOutException("Task Timed Out: '" + rec.stateName() + "'");
                case SUCCEEDED, FAILED -> throw new TaskDoesNotExistException("Task Does Not Exist (token already used)");
                case WAITING -> {
                    TaskTokenRecord done = rec.withOutcome(status, output, error, cause);
                    if (store.updateToken(done, TokenStatus.WAITING)) return done;
                }
            }
        }
        throw new TaskDoesNotExistException("Task Does Not Exist");
    }

    private void applyTokenOutcome(TaskTokenRecord rec) {
        transact(rec.executionArn(), tx -> {
            Run run = tx.rs.runs.get(rec.runId());
            if (run == null || run.phase != Phase.WAITING_TOKEN || !rec.token().equals(run.token)) return;
            TaskState task = (TaskState) tx.state(run);
            JsonNode result = rec.status() == TokenStatus.SUCCEEDED ? parse(rec.output()) : null;
            completeTask(tx, run, task, new Outcome(result, rec.status() == TokenStatus.FAILED ? rec.error() : null, rec.cause()));
        });
    }

    // ---------------------------------------------------------------- timers

    private void onTimer(String arn, String runId, int attempt, TimerKind kind) {
        transact(arn, tx -> {
            Run run = tx.rs.runs.get(runId);
            if (run == null || run.attempt != attempt || run.phase != Phase.WAITING_TIMER || run.timerKind != kind) return;
            if (kind == TimerKind.RETRY) {
                run.phase = Phase.EXECUTE;
                run.timerDue = null;
                run.timerKind = null;
                tx.changed = true;
                step(tx, run);
                return;
            }
            WaitState w = (WaitState) tx.state(run);
            try {
                JsonNode out = outputOf(w.io(), run.effectiveInput, tx.context(run, null, null, null));
                exit(tx, run, w, out);
                if (w.flow().end()) endRun(tx, run, out);
                else goTo(tx, run, w.flow().next(), out);
            } catch (StateError e) {
                handleError(tx, run, e);
            }
        });
    }

    private void onDeadline(String arn) {
        transact(arn, tx -> {
            tx.status = ExecutionStatus.TIMED_OUT;
            tx.error = StateError.TIMEOUT;
            tx.cause = "The execution exceeded the state machine's TimeoutSeconds.";
            String error = tx.error;
            String cause = tx.cause;
            tx.event(null, "ExecutionTimedOut", () -> Json.object().put("error", error).put("cause", cause));
            stopEverything(tx);
        });
    }

    // ---------------------------------------------------------------- Parallel and Map

    private Run child(Tx tx, Run parent, String graph, String startAt, int index, JsonNode input) {
        Run c = new Run();
        c.id = "r" + tx.rs.nextRunId++;
        c.parentId = parent.id;
        c.graph = graph;
        c.index = index;
        c.state = startAt;
        c.input = Json.canonical(input);
        c.phase = Phase.ENTER;
        c.lastEventId = parent.lastEventId;
        tx.rs.runs.put(c.id, c);
        String arn = tx.arn();
        String id = c.id;
        tx.effects.add(() -> submit(arn, () -> step(arn, id)));
        return c;
    }

    private void startParallel(Tx tx, Run run, ParallelState p) throws StateError {
        JsonNode effective = effectiveInput(tx, run, p.io());
        JsonNode branchInput = p.io().parameters() != null ? p.io().parameters().evaluate(effective, tx.context(run, null, null, null)) : effective;
        leavePhase(tx, run);
        run.attempt++;
        run.phase = Phase.CHILDREN;
        ArrayNode results = Json.NODES.arrayNode();
        for (int i = 0; i < p.branches().size(); i++) results.addNull();
        run.results = results;
        run.pending = p.branches().size();
        tx.event(run, "ParallelStateStarted", Json::object);
        for (int i = 0; i < p.branches().size(); i++) {
            Graph g = p.branches().get(i);
            child(tx, run, g.key(), g.startAt(), i, branchInput);
        }
    }

    private void startMap(Tx tx, Run run, MapState m) throws StateError {
        JsonNode effective = effectiveInput(tx, run, m.io());
        JsonNode items = m.itemsPath().require(effective, null, "ItemsPath");
        if (!items.isArray()) {
            throw StateError.runtime("Map state input must be an array, but ItemsPath '" + m.itemsPath().text() + "' selected: " + Json.write(items));
        }
        int max = m.maxConcurrency();
        if (m.maxConcurrencyPath() != null) {
            JsonNode v = m.maxConcurrencyPath().require(effective, null, "MaxConcurrencyPath");
            if (!v.isIntegralNumber() || v.intValue() < 0) throw StateError.runtime("MaxConcurrencyPath must select a non-negative integer, got " + v);
            max = v.intValue();
        }
        leavePhase(tx, run);
        run.attempt++;
        run.phase = Phase.CHILDREN;
        run.effectiveInput = effective;
        run.items = items;
        run.maxConcurrency = max;
        ArrayNode results = Json.NODES.arrayNode();
        for (int i = 0; i < items.size(); i++) results.addNull();
        run.results = results;
        int length = items.size();
        tx.event(run, "MapStateStarted", () -> Json.object().put("length", length));
        if (items.isEmpty()) {
            tx.event(run, "MapStateSucceeded", Json::object);
            finishChildren(tx, run, m, m.flow(), results);
            return;
        }
        startIterations(tx, run, m);
    }

    private void startIterations(Tx tx, Run run, MapState m) throws StateError {
        JsonNode items = run.items;
        JsonNode effective = null;
        while (run.nextIndex < items.size() && (run.maxConcurrency == 0 || run.pending < run.maxConcurrency)) {
            int i = run.nextIndex;
            JsonNode item = items.get(i);
            JsonNode input = item;
            if (m.itemSelector() != null) {
                if (effective == null) effective = run.effectiveInput;
                try {
                    input = m.itemSelector().evaluate(effective, tx.context(run, null, i, item));
                } catch (StateError e) {
                    cancelChildren(tx, run);
                    throw e;
                }
            }
            run.nextIndex++;
            run.pending++;
            tx.event(run, "MapIterationStarted", () -> Json.object().put("name", m.name()).put("index", i));
            child(tx, run, m.processor().key(), m.processor().startAt(), i, input);
        }
    }

    // ---------------------------------------------------------------- helpers

    private Machine machine(ExecutionRecord rec) {
        Machine m = machines.get(rec.stateMachineName());
        if (m == null) throw new StateMachineDoesNotExistException("state machine not loaded: " + rec.stateMachineName());
        return m;
    }

    public static String stateMachineArn(String name) {
        return "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:" + name;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.parse(json);
        } catch (Exception e) {
            throw new IllegalStateException("corrupt runtime state: " + e.getMessage(), e);
        }
    }
}
