package dev.reflex.stepfunctions.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The runtime-owned part of an execution record. An execution is a tree of runs: the main path, plus
 * one run per active Parallel branch or Map iteration. A transition works on a {@link #copy()}; the
 * state it commits is never changed again, so a store may keep it as it is. Its durable JSON form
 * keeps JSON values as JSON text, so that a JSON null survives the round trip.
 */
public final class RunState {
    static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

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

    /** A copy to change in a transition: new runs, the same (never changed) JSON values. */
    RunState copy() {
        RunState c = new RunState();
        c.lastEventId = lastEventId;
        c.nextRunId = nextRunId;
        c.deadline = deadline;
        c.runs = new LinkedHashMap<>(runs.size() * 2);
        for (Map.Entry<String, Run> e : runs.entrySet()) c.runs.put(e.getKey(), e.getValue().copy());
        return c;
    }

    /** One path of execution through one graph (the top level, a branch or a Map item processor). */
    public static final class Run {
        public String id;
        public String parentId;
        public String graph;
        public int index;
        public String state;
        @JsonSerialize(using = AsText.class)
        @JsonDeserialize(using = FromText.class)
        public JsonNode input;
        /** When the run entered {@code state}, to the millisecond. */
        @JsonSerialize(using = InstantAsText.class)
        @JsonDeserialize(using = InstantFromText.class)
        public Instant enteredAt;
        public Phase phase;
        public int attempt;
        public Map<String, Integer> retries = new HashMap<>();
        public int retryCount;
        public long lastEventId;
        public String token;
        public String timerDue;
        public TimerKind timerKind;
        /** Input after InputPath (Wait, Map). */
        @JsonSerialize(using = AsText.class)
        @JsonDeserialize(using = FromText.class)
        public JsonNode effectiveInput;
        /** Task in progress: handler name and payload, so a restarted runtime can invoke it again. */
        public String function;
        @JsonSerialize(using = AsText.class)
        @JsonDeserialize(using = FromText.class)
        public JsonNode payload;
        /** Parallel/Map progress. */
        @JsonSerialize(using = AsText.class)
        @JsonDeserialize(using = FromText.class)
        public JsonNode results;
        @JsonSerialize(using = AsText.class)
        @JsonDeserialize(using = FromText.class)
        public JsonNode items;
        public int pending;
        public int nextIndex;
        public int maxConcurrency;

        Run copy() {
            Run c = new Run();
            c.id = id;
            c.parentId = parentId;
            c.graph = graph;
            c.index = index;
            c.state = state;
            c.input = input;
            c.enteredAt = enteredAt;
            c.phase = phase;
            c.attempt = attempt;
            c.retries = retries.isEmpty() ? new HashMap<>() : new HashMap<>(retries);
            c.retryCount = retryCount;
            c.lastEventId = lastEventId;
            c.token = token;
            c.timerDue = timerDue;
            c.timerKind = timerKind;
            c.effectiveInput = effectiveInput;
            c.function = function;
            c.payload = payload;
            c.results = results;
            c.items = items;
            c.pending = pending;
            c.nextIndex = nextIndex;
            c.maxConcurrency = maxConcurrency;
            return c;
        }
    }

    /** Writes a JSON value as its JSON text. */
    static final class AsText extends StdSerializer<JsonNode> {
        AsText() {
            super(JsonNode.class);
        }

        @Override
        public void serialize(JsonNode value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(Json.write(value));
        }
    }

    /** Reads a JSON value from its JSON text. */
    static final class FromText extends StdDeserializer<JsonNode> {
        FromText() {
            super(JsonNode.class);
        }

        @Override
        public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return Json.parse(p.getValueAsString());
        }
    }

    static final class InstantAsText extends StdSerializer<Instant> {
        InstantAsText() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(ISO_MILLIS.format(value));
        }
    }

    static final class InstantFromText extends StdDeserializer<Instant> {
        InstantFromText() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return Instant.parse(p.getValueAsString());
        }
    }
}
