package dev.reflex.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One event of an execution's history, as GetExecutionHistory returns it. {@code type} is the
 * AWS event type ({@code TaskStateEntered}, {@code LambdaFunctionSucceeded}, ...); {@code details}
 * holds the fields of the matching AWS {@code *EventDetails} object ({@code name}, {@code input},
 * {@code output}, {@code error}, {@code cause}, ...), with inputs and outputs as JSON text like AWS.
 *
 * <p>An event is immutable: {@link #details()} gives a new tree on every call, so whoever reads a
 * history cannot change it. The runtime builds the details of its events only when they are read
 * ({@link #withDetails(long, long, Instant, String, Supplier)}). Two events are equal when their ids,
 * timestamps, types and details are.
 */
public final class HistoryEvent {
    private final long id;
    private final long previousEventId;
    private final Instant timestamp;
    private final String type;
    private final Supplier<? extends JsonNode> details;

    private HistoryEvent(long id, long previousEventId, Instant timestamp, String type, Supplier<? extends JsonNode> details) {
        this.id = id;
        this.previousEventId = previousEventId;
        this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
        this.type = Objects.requireNonNull(type, "type");
        this.details = details;
    }

    /** An event with a copy of {@code details} (null for none): changing {@code details} later does not change the event. */
    public HistoryEvent(long id, long previousEventId, Instant timestamp, String type, JsonNode details) {
        this(id, previousEventId, timestamp, type, copyOf(details));
    }

    /** An event whose details are built when read; {@code details} must return a new tree on every call. */
    public static HistoryEvent withDetails(long id, long previousEventId, Instant timestamp, String type,
                                           Supplier<? extends JsonNode> details) {
        return new HistoryEvent(id, previousEventId, timestamp, type, Objects.requireNonNull(details, "details"));
    }

    private static Supplier<JsonNode> copyOf(JsonNode details) {
        if (details == null) return null;
        JsonNode copy = details.deepCopy();
        return copy::deepCopy;
    }

    public long id() {
        return id;
    }

    public long previousEventId() {
        return previousEventId;
    }

    public Instant timestamp() {
        return timestamp;
    }

    public String type() {
        return type;
    }

    /** The event's details, a new tree on every call; null if the event has none. */
    public JsonNode details() {
        return details == null ? null : details.get();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HistoryEvent e && id == e.id && previousEventId == e.previousEventId
                && timestamp.equals(e.timestamp) && type.equals(e.type) && Objects.equals(details(), e.details());
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, previousEventId, timestamp, type);
    }

    @Override
    public String toString() {
        return "HistoryEvent[id=" + id + ", previousEventId=" + previousEventId + ", timestamp=" + timestamp
                + ", type=" + type + ", details=" + details() + "]";
    }
}
