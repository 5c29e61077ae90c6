package dev.pulse.users;

/**
 * What the per-visitor operator remembers of one visitor: for each minute and business day it could still count
 * in, the channel and platform pairs (or platforms, for a day) it was already counted for, as bits; and the day it
 * last registered. Longs only: a few dozen bytes per active visitor. A Flink POJO.
 */
public class VisitorDays {
    /** No day. */
    public static final long NONE = Long.MIN_VALUE;

    /** Pairs: minute start (epoch ms), bits of the pairs counted in it (bit 63: counted at all). */
    public long[] minutes = new long[0];
    /** Pairs: day start (epoch ms), bits of the platforms counted in it (bit 63: counted at all). */
    public long[] days = new long[0];
    /** Start of the business day of the visitor's last register event, or {@link #NONE}. */
    public long registeredDay = NONE;

    public VisitorDays() {}

    boolean isEmpty() {
        return minutes.length == 0 && days.length == 0;
    }
}
