package dev.reflex.stepfunctions;

import java.time.Instant;
import java.time.InstantSource;

/**
 * The runtime's clock and its single timer queue: Wait states, retry back-offs, task and execution
 * timeouts are all timers here, so no thread is held per waiting execution.
 * {@link ManualTimerService} fires timers only when a test advances it; {@link SystemTimerService}
 * fires them in real time.
 */
public interface TimerService extends InstantSource, AutoCloseable {

    /** Runs {@code action} once at or after {@code due}; if {@code due} is not in the future it runs promptly. Actions must be short and not block. */
    Timer schedule(Instant due, Runnable action);

    @Override
    default void close() {}

    /** A scheduled action. Cancelling an action that already ran does nothing. */
    interface Timer {
        void cancel();
    }
}
