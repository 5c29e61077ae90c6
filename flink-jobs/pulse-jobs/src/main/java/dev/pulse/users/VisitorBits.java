package dev.pulse.users;

import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.function.LongPredicate;

/**
 * One visitor's state as a few longs, read, changed in place and written back whole:
 * <ul>
 *   <li>the newest business day it was active on (an epoch day) and, as bits, which of the 32 days up to it it was
 *       active on, and registered on;</li>
 *   <li>the time of its pending timer;</li>
 *   <li>per business day and per minute that may still be corrected, what it was counted for (an entry is the day
 *       or epoch minute in the high half, bits in the low half: bit 31 "counted at all");</li>
 *   <li>its open sessions: first and last event time, and whether it had no, one or more page views.</li>
 * </ul>
 */
final class VisitorBits {
    static final long MINUTE_MS = 60_000;
    static final int NONE = Integer.MIN_VALUE;
    /** How many days back from the newest active day the bits reach. */
    static final int DAYS_KEPT = 32;
    private static final int COUNTED = 1 << 31;
    private static final int HEADER = 3;

    private int newestDay;
    private int activeBits;
    private int registeredBits;
    private long timer;
    private long[] days;
    private int dayCount;
    private long[] minutes;
    private int minuteCount;
    private long[] sessions;
    private int sessionCount;

    private VisitorBits() {}

    static VisitorBits of(long[] stored) {
        VisitorBits v = new VisitorBits();
        if (stored == null) {
            v.newestDay = NONE;
            v.days = new long[1];
            v.minutes = new long[2];
            v.sessions = new long[2];
            return v;
        }
        v.newestDay = (int) (stored[0] >> 32);
        v.activeBits = (int) stored[0];
        v.registeredBits = (int) (stored[1] >> 32);
        v.dayCount = (int) stored[1] & 0xFF;
        v.sessionCount = ((int) stored[1] >> 8) & 0xFF;
        v.timer = stored[2];
        v.minuteCount = stored.length - HEADER - v.dayCount - 2 * v.sessionCount;
        int at = HEADER;
        v.days = Arrays.copyOfRange(stored, at, at += v.dayCount);
        v.minutes = Arrays.copyOfRange(stored, at, at += v.minuteCount);
        v.sessions = Arrays.copyOfRange(stored, at, at + 2 * v.sessionCount);
        return v;
    }

    long[] toArray() {
        long[] out = new long[HEADER + dayCount + minuteCount + 2 * sessionCount];
        out[0] = ((long) newestDay << 32) | (activeBits & 0xFFFFFFFFL);
        out[1] = ((long) registeredBits << 32) | ((long) sessionCount << 8) | dayCount;
        out[2] = timer;
        int at = HEADER;
        System.arraycopy(days, 0, out, at, dayCount);
        System.arraycopy(minutes, 0, out, at += dayCount, minuteCount);
        System.arraycopy(sessions, 0, out, at + minuteCount, 2 * sessionCount);
        return out;
    }

    // --- active and registration days

    int newestDay() {
        return newestDay;
    }

    boolean activeOn(int day) {
        return isSet(activeBits, day);
    }

    boolean registeredOn(int day) {
        return isSet(registeredBits, day);
    }

    /** The latest day before this one it was active on, or {@link #NONE}. */
    int activeBefore(int day) {
        for (int d = day - 1; d > newestDay - DAYS_KEPT; d--) {
            if (activeOn(d)) {
                return d;
            }
        }
        return NONE;
    }

    /** The first day after this one it was active on, or {@link #NONE}. */
    int activeAfter(int day) {
        for (int d = day + 1; d <= newestDay; d++) {
            if (activeOn(d)) {
                return d;
            }
        }
        return NONE;
    }

    void markActive(int day) {
        if (newestDay == NONE || day > newestDay) {
            int shift = newestDay == NONE ? DAYS_KEPT : day - newestDay;
            activeBits = shift >= DAYS_KEPT ? 0 : activeBits << shift;
            registeredBits = shift >= DAYS_KEPT ? 0 : registeredBits << shift;
            newestDay = day;
        }
        activeBits |= bitOf(day);
    }

    /** Only for a day it is active on. */
    void markRegistered(int day) {
        registeredBits |= bitOf(day);
    }

    private boolean isSet(int bits, int day) {
        return (bits & bitOf(day)) != 0;
    }

    private int bitOf(int day) {
        int back = newestDay - day;
        return newestDay == NONE || back < 0 || back >= DAYS_KEPT ? 0 : 1 << back;
    }

    // --- the pending timer

    long timer() {
        return timer;
    }

    void setTimer(long time) {
        timer = time;
    }

    // --- what it was counted for, per day and minute

    static boolean has(int bits, int bit) {
        return (bits & (1 << bit)) != 0;
    }

    static boolean counted(int bits) {
        return (bits & COUNTED) != 0;
    }

    /** The bits with these set and "counted at all". */
    static int with(int bits, int bit) {
        return bits | (1 << bit) | COUNTED;
    }

    static int minuteOf(long epochMillis) {
        return (int) Math.floorDiv(epochMillis, MINUTE_MS);
    }

    static long millisOf(int minute) {
        return minute * MINUTE_MS;
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
            minutes = roomFor(minutes, minuteCount, 1);
            i = minuteCount++;
        }
        minutes[i] = entry(minute, bits);
    }

    void setDay(int day, int bits) {
        int i = indexOf(days, dayCount, day);
        if (i < 0) {
            days = roomFor(days, dayCount, 1);
            i = dayCount++;
        }
        days[i] = entry(day, bits);
    }

    int dayCount() {
        return dayCount;
    }

    /** The day of a day entry. */
    int dayAt(int i) {
        return (int) (days[i] >> 32);
    }

    /** Keeps the minutes and days that can still change. */
    void retain(IntPredicate minuteLive, IntPredicate dayLive) {
        minuteCount = retain(minutes, minuteCount, minuteLive);
        dayCount = retain(days, dayCount, dayLive);
    }

    // --- open sessions

    int sessionCount() {
        return sessionCount;
    }

    long sessionStart(int i) {
        return sessions[2 * i];
    }

    long sessionLast(int i) {
        return sessions[2 * i + 1] >> 2;
    }

    /** 0, 1, or 2 for "two or more". */
    int sessionPageViews(int i) {
        return (int) (sessions[2 * i + 1] & 3);
    }

    /**
     * Adds an event to the session it falls in (less than a gap from one of its events; sessions it bridges become
     * one), or opens one. Session events lie less than a gap apart, so "within a gap of its first or last" is enough.
     */
    void addToSession(long time, boolean pageView, long gapMs) {
        long start = time;
        long last = time;
        int pageViews = pageView ? 1 : 0;
        int kept = 0;
        for (int i = 0; i < sessionCount; i++) {
            long s = sessionStart(i);
            long l = sessionLast(i);
            if (time > s - gapMs && time < l + gapMs) {
                start = Math.min(start, s);
                last = Math.max(last, l);
                pageViews += sessionPageViews(i);
            } else {
                sessions[2 * kept] = sessions[2 * i];
                sessions[2 * kept + 1] = sessions[2 * i + 1];
                kept++;
            }
        }
        sessions = roomFor(sessions, 2 * kept, 2);
        sessions[2 * kept] = start;
        sessions[2 * kept + 1] = (last << 2) | Math.min(pageViews, 2);
        sessionCount = kept + 1;
    }

    /** Removes the sessions whose last event matches, after handing each to the consumer. */
    void closeSessions(LongPredicate closedByLast, SessionConsumer closed) {
        int kept = 0;
        for (int i = 0; i < sessionCount; i++) {
            if (closedByLast.test(sessionLast(i))) {
                closed.session(sessionStart(i), sessionLast(i), sessionPageViews(i));
            } else {
                sessions[2 * kept] = sessions[2 * i];
                sessions[2 * kept + 1] = sessions[2 * i + 1];
                kept++;
            }
        }
        sessionCount = kept;
    }

    @FunctionalInterface
    interface SessionConsumer {
        void session(long start, long last, int pageViews);
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

    private static long[] roomFor(long[] entries, int used, int more) {
        return used + more <= entries.length ? entries : Arrays.copyOf(entries, Math.max(2, 2 * (used + more)));
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
