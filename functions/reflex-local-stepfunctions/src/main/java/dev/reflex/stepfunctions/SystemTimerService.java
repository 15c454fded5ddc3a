package dev.reflex.stepfunctions;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Real-time timers on one scheduler thread; thousands of pending timers cost memory, not threads. */
public final class SystemTimerService implements TimerService {
    private final InstantSource clock;
    private final ScheduledThreadPoolExecutor scheduler;

    public SystemTimerService(InstantSource clock) {
        this.clock = clock;
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "reflex-sfn-timers");
            t.setDaemon(true);
            return t;
        });
        this.scheduler.setRemoveOnCancelPolicy(true);
    }

    public SystemTimerService() {
        this(InstantSource.system());
    }

    @Override
    public Instant instant() {
        return clock.instant();
    }

    @Override
    public Timer schedule(Instant due, Runnable action) {
        long delay = Math.max(0, Duration.between(clock.instant(), due).toMillis());
        ScheduledFuture<?> future = scheduler.schedule(action, delay, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
