package dev.pulse.time;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;

/**
 * Business days numbered as epoch days in the business time zone, so "the day before" and "30 days on" are
 * arithmetic; the starts of the days met lately are kept, as the zone's rules cost more than a click's other work.
 * One per operator instance, made when it opens.
 */
public final class BusinessDays {
    private static final int KEPT = 64;

    private final ZoneId zone;
    private final long[] starts = new long[KEPT];
    private int firstKept = Integer.MIN_VALUE / 2;
    private int lastDay;
    private long lastStart;
    private long lastEnd = Long.MIN_VALUE;

    public BusinessDays(ZoneId zone) {
        this.zone = zone;
    }

    /** The business day holding the time; nearly every event falls in the same day as the one before. */
    public int dayOf(long epochMillis) {
        if (epochMillis < lastStart || epochMillis >= lastEnd) {
            lastDay = (int) Instant.ofEpochMilli(epochMillis).atZone(zone).toLocalDate().toEpochDay();
            lastStart = startOf(lastDay);
            lastEnd = startOf(lastDay + 1);
        }
        return lastDay;
    }

    /** Midnight starting the day (epoch ms); a day is 23 or 25 hours long across a daylight-saving change. */
    public long startOf(int day) {
        int i = day - firstKept;
        if (i < 0 || i >= KEPT) {
            firstKept = day - 8; // room for the days before (late events) and the 30 after (MAU)
            Arrays.fill(starts, Long.MIN_VALUE);
            i = day - firstKept;
        }
        if (starts[i] == Long.MIN_VALUE) {
            starts[i] = LocalDate.ofEpochDay(day).atStartOfDay(zone).toInstant().toEpochMilli();
        }
        return starts[i];
    }
}
