package dev.reflex.stepfunctions.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The runtime-owned part of an execution record ({@code ExecutionRecord.runtimeState}), serialized as
 * JSON. An execution is a tree of runs: the main path, plus one run per active Parallel branch or Map
 * iteration. JSON values are kept as JSON text so that a JSON null survives the round trip.
 */
public final class RunState {
    public long lastEventId;
    public long nextRunId = 1;
    /** Execution deadline (top-level TimeoutSeconds), ISO instant, or null. */
    public String deadline;
    public Map<String, Run> runs = new LinkedHashMap<>();

    public enum Phase {
        /** About to enter {@code state} (emit StateEntered, then execute). */
        ENTER,
        /** Entered; execute again (after a retry back-off). */
        EXECUTE,
        /** A task handler is running. */
        TASK_RUNNING,
        /** A callback task waits for its token. */
        WAITING_TOKEN,
        /** A Wait state or a retry back-off waits for {@code timerDue}. */
        WAITING_TIMER,
        /** A Parallel or Map state waits for its child runs. */
        CHILDREN
    }

    public enum TimerKind { WAIT, RETRY, TASK_TIMEOUT }

    /** One path of execution through one graph (the top level, a branch or a Map item processor). */
    public static final class Run {
        public String id;
        public String parentId;
        public String graph;
        public int index;
        public String state;
        public String input;
        public String enteredAt;
        public Phase phase;
        public int attempt;
        public Map<String, Integer> retries = new HashMap<>();
        public int retryCount;
        public long lastEventId;
        public String token;
        public String timerDue;
        public TimerKind timerKind;
        /** Input after InputPath (Wait, Map). */
        public String effectiveInput;
        /** Task in progress: handler name and payload, so a restarted runtime can invoke it again. */
        public String function;
        public String payload;
        /** Parallel/Map progress. */
        public String results;
        public String items;
        public int pending;
        public int nextIndex;
        public int maxConcurrency;
    }
}
