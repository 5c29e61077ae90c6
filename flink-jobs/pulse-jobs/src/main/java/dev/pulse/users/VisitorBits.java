package dev.pulse.users;

import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.function.LongPredicate;

/**
 * One visitor's state as a few longs, read, changed in place and written back whole:
 * <ul>
 *   <li>word 0: the newest business day it was active on (an epoch day in 17 bits: 1970 to 2328; ingestion admits
 *       nothing older, and nothing far ahead of the wall clock), as bits which of the
 *       {@value #DAYS_KEPT} days up to it it was active on and which of the {@value #REGISTRATIONS_KEPT} it
 *       registered on, and how many sessions are open;</li>
 *   <li>word 1: the second of its pending timer, what it was counted for on its newest day, and how many older days
 *       may still be corrected;</li>
 *   <li>per older business day and per minute that may still be corrected, what it was counted for (an entry is
 *       the day or epoch minute in the high half, bits in the low half: bit 31 "counted at all");</li>
 *   <li>its open sessions: first and last event time, and whether it had no, one or more page views.</li>
 * </ul>
 */
final class VisitorBits {
    static final long MINUTE_MS = 60_000;
    static final int NONE = Integer.MIN_VALUE;
    /** How many days back from the newest active day the active bits reach (MAU's 30, and a late day's). */
    static final int DAYS_KEPT = 31;
    /** The same for registrations (D7 retention's 8, and a late day's). */
    static final int REGISTRATIONS_KEPT = 9;
    /** More open sessions than this (only an allowed lateness of days could make them) join the latest one. */
    static final int MAX_SESSIONS = 127;
    private static final int COUNTED = 1 << 31;
    /** A day's bit of a channel is this plus its index; a platform's is its index. */
    static final int CHANNEL_BIT = 8;
    /** What a day's bits may use besides "counted": 8 platform and 16 channel bits. */
    private static final int DAY_BITS = 0xFFFFFF;
    private static final int HEADER = 2;

    private int newestDay;
    private int activeBits;
    private int registeredBits;
    private int newestDayBits;
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
        v.newestDay = (int) (stored[0] >>> 47);
        v.activeBits = (int) (stored[0] >>> 16) & 0x7FFFFFFF;
        v.registeredBits = (int) (stored[0] >>> 7) & 0x1FF;
        v.sessionCount = (int) stored[0] & 0x7F;
        v.timer = (stored[1] >>> 32) * 1000;
        v.newestDayBits = (int) (stored[1] >>> 8) & DAY_BITS;
        v.dayCount = (int) stored[1] & 0xFF;
        v.minuteCount = stored.length - HEADER - v.dayCount - 2 * v.sessionCount;
        int at = HEADER;
        v.days = Arrays.copyOfRange(stored, at, at += v.dayCount);
        v.minutes = Arrays.copyOfRange(stored, at, at += v.minuteCount);
        v.sessions = Arrays.copyOfRange(stored, at, at + 2 * v.sessionCount);
        return v;
    }

    long[] toArray() {
        long[] out = new long[HEADER + dayCount + minuteCount + 2 * sessionCount];
        out[0] = ((long) newestDay << 47) | ((long) activeBits << 16) | ((long) registeredBits << 7)
                | sessionCount;
        out[1] = ((timer / 1000) << 32) | ((long) newestDayBits << 8) | dayCount;
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
        return (registeredBits & bitOf(day, REGISTRATIONS_KEPT)) != 0;
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
            if (newestDay != NONE) {
                setEntry(newestDay, newestDayBits | COUNTED); // the newest day's bits move to the entries
            }
            int shift = newestDay == NONE ? DAYS_KEPT : day - newestDay;
            activeBits = shift >= DAYS_KEPT ? 0 : (activeBits << shift) & 0x7FFFFFFF;
            registeredBits = shift >= REGISTRATIONS_KEPT ? 0 : (registeredBits << shift) & 0x1FF;
            newestDay = day;
            newestDayBits = 0;
        }
        activeBits |= bitOf(day, DAYS_KEPT);
    }

    /** Only for a day it is active on. */
    void markRegistered(int day) {
        registeredBits |= bitOf(day, REGISTRATIONS_KEPT);
    }

    private boolean isSet(int bits, int day) {
        return (bits & bitOf(day, DAYS_KEPT)) != 0;
    }

    private int bitOf(int day, int kept) {
        int back = newestDay - day;
        return newestDay == NONE || back < 0 || back >= kept ? 0 : 1 << back;
    }

    // --- the pending timer

    /** The pending timer's time, to the second below it (0: none). */
    long timer() {
        return timer;
    }

    void setTimer(long time) {
        timer = Math.floorDiv(time, 1000) * 1000;
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
        if (day == newestDay) {
            return activeOn(day) ? newestDayBits | COUNTED : 0;
        }
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
        if (day == newestDay) {
            newestDayBits = bits & DAY_BITS;
        } else {
            setEntry(day, bits);
        }
    }

    private void setEntry(int day, int bits) {
        int i = indexOf(days, dayCount, day);
        if (i < 0) {
            days = roomFor(days, dayCount, 1);
            i = dayCount++;
        }
        days[i] = entry(day, bits);
    }

    /** How many days older than the newest may still be corrected. */
    int dayCount() {
        return dayCount;
    }

    /** The day of an older day's entry. */
    int dayAt(int i) {
        return (int) (days[i] >> 32);
    }

    /** Keeps the minutes and older days that can still change (the newest day's bits stay with the header). */
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
        if (kept == MAX_SESSIONS) {
            kept--; // joins the latest kept session: see MAX_SESSIONS
            start = Math.min(start, sessionStart(kept));
            last = Math.max(last, sessionLast(kept));
            pageViews += sessionPageViews(kept);
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
