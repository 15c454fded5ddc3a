package dev.reflex.stepfunctions.internal;

import dev.reflex.stepfunctions.RuntimeState;

/**
 * A committed {@link RunState}, as the runtime hands it to the store. Nothing changes it after it is
 * made: a transition works on {@link #copyForTransition()}, readers only look. Its JSON is written
 * when a store asks for it (a text store, a test), once.
 */
final class Snapshot implements RuntimeState {
    private final RunState state;
    private volatile String json;

    Snapshot(RunState state) {
        this.state = state;
    }

    /** Read only: the committed state itself. */
    RunState view() {
        return state;
    }

    RunState copyForTransition() {
        return state.copy();
    }

    @Override
    public String toJson() {
        String j = json;
        if (j == null) {
            try {
                j = Json.MAPPER.writeValueAsString(state);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            json = j;
        }
        return j;
    }

    /** The state behind a stored runtime state: this runtime's own, or parsed from the JSON a text store read. */
    static RunState read(RuntimeState stored) {
        if (stored instanceof Snapshot s) return s.state;
        try {
            return Json.MAPPER.readValue(stored.toJson(), RunState.class);
        } catch (Exception e) {
            throw new IllegalStateException("corrupt runtime state: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RuntimeState s && toJson().equals(s.toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
