package dev.pulse.time;

import org.apache.flink.streaming.api.TimerService;

/**
 * One pending event-time timer per key, its time kept in the key's own state (0 for none), so that a key does not
 * collect a timer per event in the timer queue (a RocksDB write each): a timer is registered only when something is due before the
 * one pending. A timer registered earlier than the pending one may fire first; the later one then finds nothing
 * due and schedules the next.
 */
public final class PendingTimer {
    private PendingTimer() {}

    /** The pending timer once a timer has fired at this watermark: none, if the pending one was it. */
    public static long afterFiring(long pending, long watermark) {
        return pending <= watermark ? 0 : pending;
    }

    /**
     * Registers a timer at {@code due} (Long.MAX_VALUE: nothing due) unless one is pending no later.
     *
     * @return the time of the timer pending now
     */
    public static long schedule(TimerService timers, long pending, long due) {
        if (due != Long.MAX_VALUE && (pending == 0 || due < pending)) {
            timers.registerEventTimeTimer(due);
            return due;
        }
        return pending;
    }
}
