package dev.reflex.stepfunctions;

import java.util.Objects;

/**
 * The runtime-owned part of an {@link ExecutionRecord}: position of every active path, state input,
 * retry counters, waiting token, timer due time, Parallel/Map progress. Immutable. A store that keeps
 * objects (the {@link InMemoryExecutionStore}) keeps it as it is; a store that persists text writes
 * {@link #toJson()} and gives back {@link #fromJson(String)} when it reads. Two states are equal when
 * their JSON is.
 */
public interface RuntimeState {

    /** The durable form: a JSON document the runtime can read back with {@link #fromJson(String)}. */
    String toJson();

    /** A state read back from its durable form; the runtime parses it when it next needs it. */
    static RuntimeState fromJson(String json) {
        return new Text(Objects.requireNonNull(json, "json"));
    }

    /** A runtime state held as its JSON text, as a text store reads it. */
    record Text(String toJson) implements RuntimeState {
        @Override
        public boolean equals(Object other) {
            return other instanceof RuntimeState state && toJson.equals(state.toJson());
        }

        @Override
        public int hashCode() {
            return toJson.hashCode();
        }

        @Override
        public String toString() {
            return toJson;
        }
    }
}
