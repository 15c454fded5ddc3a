package dev.reflex.stepfunctions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test clock: time stands still until {@link #advance(Duration)} moves it, and the timers due by
 * then fire on the calling thread, earliest first, with the clock set to each one's due time.
 * Timers that the fired actions cause later (the runtime works on its own threads) fire on a later
 * advance, so tests alternate {@code advance} and {@code awaitQuiescent}.
 */
public final class ManualTimerService implements TimerService {
    private record Entry(Instant due, long seq, Runnable action, boolean[] cancelled) {}

    private final PriorityQueue<Entry> queue =
            new PriorityQueue<>(Comparator.comparing(Entry::due).thenComparingLong(Entry::seq));
    private final AtomicLong seq = new AtomicLong();
    private Instant now;

    public ManualTimerService(Instant start) {
        this.now = start;
    }

    public ManualTimerService() {
        this(Instant.parse("2025-01-01T00:00:00Z"));
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public Timer schedule(Instant due, Runnable action) {
        Entry entry = new Entry(due, seq.incrementAndGet(), action, new boolean[1]);
        boolean runNow;
        synchronized (this) {
            runNow = !due.isAfter(now);
            if (!runNow) {
                queue.add(entry);
            }
        }
        if (runNow) {
            action.run();
        }
        return () -> {
            synchronized (this) {
                entry.cancelled()[0] = true;
                queue.remove(entry);
            }
        };
    }

    /** Moves the clock forward and fires every timer due by the new time. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("cannot go back in time: " + duration);
        }
        Instant target;
        synchronized (this) {
            target = now.plus(duration);
        }
        while (true) {
            Entry next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due().isAfter(target)) {
                    now = target;
                    return;
                }
                queue.poll();
                if (next.due().isAfter(now)) {
                    now = next.due();
                }
            }
            next.action().run();
        }
    }

    /** Due times of the timers not yet fired, earliest first. */
    public synchronized List<Instant> pendingTimers() {
        List<Instant> due = new ArrayList<>(queue.stream().map(Entry::due).toList());
        due.sort(Comparator.naturalOrder());
        return due;
    }

    /** Delays from now of the timers not yet fired, shortest first. */
    public synchronized List<Duration> pendingDelays() {
        return pendingTimers().stream().map(d -> Duration.between(now, d)).toList();
    }
}
