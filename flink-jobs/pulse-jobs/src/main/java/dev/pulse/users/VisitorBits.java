package dev.pulse.users;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * One visitor's state as a few longs: a header (the day of the last registration, and how many days follow), then
 * per business day it can still count in, the platforms it was counted for; then per minute, the channel and
 * platform pairs. Times are epoch minutes (a day by the minute it starts), each entry's bits in its low half and
 * bit 31 for "counted at all". Read, changed in place and written back whole.
 */
final class VisitorBits {
    static final long MINUTE_MS = 60_000;
    private static final int COUNTED = 1 << 31;
    private static final int NO_DAY = Integer.MIN_VALUE;

    private int registeredDay;
    private long[] days;
    private int dayCount;
    private long[] minutes;
    private int minuteCount;

    private VisitorBits(int registeredDay, long[] days, int dayCount, long[] minutes, int minuteCount) {
        this.registeredDay = registeredDay;
        this.days = days;
        this.dayCount = dayCount;
        this.minutes = minutes;
        this.minuteCount = minuteCount;
    }

    static VisitorBits of(long[] stored) {
        if (stored == null) {
            return new VisitorBits(NO_DAY, new long[1], 0, new long[2], 0);
        }
        int dayCount = (int) stored[0];
        int minuteCount = stored.length - 1 - dayCount;
        return new VisitorBits((int) (stored[0] >> 32), Arrays.copyOfRange(stored, 1, 1 + dayCount), dayCount,
                Arrays.copyOfRange(stored, 1 + dayCount, stored.length), minuteCount);
    }

    long[] toArray() {
        long[] out = new long[1 + dayCount + minuteCount];
        out[0] = ((long) registeredDay << 32) | dayCount;
        System.arraycopy(days, 0, out, 1, dayCount);
        System.arraycopy(minutes, 0, out, 1 + dayCount, minuteCount);
        return out;
    }

    static int minuteOf(long epochMillis) {
        return (int) Math.floorDiv(epochMillis, MINUTE_MS);
    }

    static long millisOf(int minute) {
        return minute * MINUTE_MS;
    }

    static boolean has(int bits, int bit) {
        return (bits & (1 << bit)) != 0;
    }

    static boolean counted(int bits) {
        return (bits & COUNTED) != 0;
    }

    /** The bits with this one and "counted at all" set. */
    static int with(int bits, int bit) {
        return bits | (1 << bit) | COUNTED;
    }

    int minute(int minute) {
        return find(minutes, minuteCount, minute);
    }

    int day(int day) {
        return find(days, dayCount, day);
    }

    void setMinute(int minute, int bits) {
        int i = indexOf(minutes, minuteCount, minute);
        if (i < 0) {
            minutes = roomFor(minutes, minuteCount);
            i = minuteCount++;
        }
        minutes[i] = entry(minute, bits);
    }

    void setDay(int day, int bits) {
        int i = indexOf(days, dayCount, day);
        if (i < 0) {
            days = roomFor(days, dayCount);
            i = dayCount++;
        }
        days[i] = entry(day, bits);
    }

    int registeredDay() {
        return registeredDay;
    }

    void setRegisteredDay(int day) {
        registeredDay = day;
    }

    int dayCount() {
        return dayCount;
    }

    int newestDay() {
        int newest = Integer.MIN_VALUE;
        for (int i = 0; i < dayCount; i++) {
            newest = Math.max(newest, (int) (days[i] >> 32));
        }
        return newest;
    }

    /** Keeps the minutes and days that can still change. */
    void retain(IntPredicate minuteLive, IntPredicate dayLive) {
        minuteCount = retain(minutes, minuteCount, minuteLive);
        dayCount = retain(days, dayCount, dayLive);
    }

    private static int find(long[] entries, int count, int time) {
        int i = indexOf(entries, count, time);
        return i < 0 ? 0 : (int) entries[i];
    }

    private static int indexOf(long[] entries, int count, int time) {
        for (int i = 0; i < count; i++) {
            if ((int) (entries[i] >> 32) == time) {
                return i;
            }
        }
        return -1;
    }

    private static long[] roomFor(long[] entries, int count) {
        return count < entries.length ? entries : Arrays.copyOf(entries, Math.max(2, count * 2));
    }

    private static long entry(int time, int bits) {
        return ((long) time << 32) | (bits & 0xFFFFFFFFL);
    }

    private static int retain(long[] entries, int count, IntPredicate live) {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (live.test((int) (entries[i] >> 32))) {
                entries[kept++] = entries[i];
            }
        }
        return kept;
    }
}
