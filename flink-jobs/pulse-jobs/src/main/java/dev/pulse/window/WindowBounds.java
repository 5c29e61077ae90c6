package dev.pulse.window;

import dev.pulse.time.BusinessTime;
import dev.pulse.time.Period;

/**
 * The start of the period holding a time, from the few periods met lately: a business day's bounds come from the
 * time zone's rules, which cost more than the rest of a record's work, and the records of a subtask fall in a
 * handful of periods (a visitor's MAU tallies in the 30 days ahead).
 */
final class WindowBounds {
    private static final int SIZE = 64;

    private final Period period;
    private final BusinessTime businessTime;
    private final long[] starts = new long[SIZE];
    private final long[] ends = new long[SIZE];
    private int used;
    private int next;
    private int last;

    WindowBounds(Period period, BusinessTime businessTime) {
        this.period = period;
        this.businessTime = businessTime;
    }

    /** The end (exclusive) of the period holding the time: the next one's start. */
    long endOf(long time) {
        if (period == Period.MINUTE) {
            return BusinessTime.minuteStart(time) + BusinessTime.MINUTE_MS;
        }
        startOf(time);
        return ends[last];
    }

    long startOf(long time) {
        if (period == Period.MINUTE) {
            return BusinessTime.minuteStart(time);
        }
        if (used > 0 && time >= starts[last] && time < ends[last]) {
            return starts[last];
        }
        for (int i = 0; i < used; i++) {
            if (time >= starts[i] && time < ends[i]) {
                last = i;
                return starts[i];
            }
        }
        last = next;
        starts[next] = period.start(time, businessTime.zone());
        ends[next] = period.end(time, businessTime.zone());
        used = Math.max(used, next + 1);
        next = (next + 1) % SIZE;
        return starts[last];
    }
}
