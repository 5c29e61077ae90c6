package dev.pulse.risk;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * What the risk rules keep of one key (a user, a device or an ip): its recent order events that a rule counts, as
 * parallel arrays in event-time order (a Flink POJO, no object per event), when each rule last fired on it, and for
 * a user the registration time. Order ids are kept only where they are evidence; a key with more than {@value #MAX}
 * events kept drops the oldest.
 */
public class RiskMarks {
    static final int MAX = 512;
    static final long NONE = Long.MIN_VALUE;

    /** The pending timer, 0 for none. */
    public long timer;
    /** The user's first register event, {@link #NONE} if none seen. */
    public long registeredAt = NONE;
    public long[] at = new long[0];
    public byte[] kind = new byte[0];
    public long[] orderHash = new long[0];
    /** The counted value: an address hash, a user hash, or an amount in cents. */
    public long[] value = new long[0];
    public String[] orderIds = new String[0];
    /** The event time each rule last fired on this key at, by {@link RiskRule#ordinal()}; NONE for never. */
    public long[] firedAt = new long[0];

    public RiskMarks() {}

    int size() {
        return at.length;
    }

    boolean isEmpty() {
        return at.length == 0 && registeredAt == NONE && firedAt.length == 0;
    }

    /** Inserts an event in time order (after any of the same time). */
    void add(long time, byte k, long order, long counted, String orderId) {
        int n = size();
        int pos = n;
        while (pos > 0 && at[pos - 1] > time) {
            pos--;
        }
        at = insert(at, pos, time);
        kind = Arrays.copyOf(kind, n + 1);
        System.arraycopy(kind, pos, kind, pos + 1, n - pos);
        kind[pos] = k;
        orderHash = insert(orderHash, pos, order);
        value = insert(value, pos, counted);
        orderIds = Arrays.copyOf(orderIds, n + 1);
        System.arraycopy(orderIds, pos, orderIds, pos + 1, n - pos);
        orderIds[pos] = orderId;
        if (size() > MAX) {
            retain(i -> i > 0);
        }
    }

    /** Keeps the events at the indexes for which {@code keep} holds. */
    void retain(IntPredicate keep) {
        int kept = 0;
        for (int i = 0; i < size(); i++) {
            if (keep.test(i)) {
                at[kept] = at[i];
                kind[kept] = kind[i];
                orderHash[kept] = orderHash[i];
                value[kept] = value[i];
                orderIds[kept++] = orderIds[i];
            }
        }
        at = Arrays.copyOf(at, kept);
        kind = Arrays.copyOf(kind, kept);
        orderHash = Arrays.copyOf(orderHash, kept);
        value = Arrays.copyOf(value, kept);
        orderIds = Arrays.copyOf(orderIds, kept);
    }

    /** Whether an event of this kind and order is kept. */
    boolean has(byte k, long order) {
        return indexOf(k, order) >= 0;
    }

    int indexOf(byte k, long order) {
        for (int i = 0; i < size(); i++) {
            if (kind[i] == k && orderHash[i] == order) {
                return i;
            }
        }
        return -1;
    }

    long firedAt(RiskRule rule) {
        return firedAt.length == 0 ? NONE : firedAt[rule.ordinal()];
    }

    /** Whether the rule fired on this key within {@code suppressionMs} of {@code t}, before or after. */
    boolean suppressed(RiskRule rule, long t, long suppressionMs) {
        long fired = firedAt(rule);
        return fired != NONE && Math.abs(t - fired) < suppressionMs;
    }

    void fired(RiskRule rule, long time) {
        if (firedAt.length == 0) {
            firedAt = new long[RiskRule.values().length];
            Arrays.fill(firedAt, NONE);
        }
        firedAt[rule.ordinal()] = time;
    }

    /** Forgets the firings no admitted event can fall in the suppression of: {@code quietMs} per rule. */
    void forgetFirings(long[] quietMs, long watermark) {
        if (firedAt.length == 0) {
            return;
        }
        boolean any = false;
        for (int r = 0; r < firedAt.length; r++) {
            if (firedAt[r] != NONE && firedAt[r] + quietMs[r] < watermark) {
                firedAt[r] = NONE;
            }
            any |= firedAt[r] != NONE;
        }
        if (!any) {
            firedAt = new long[0];
        }
    }

    private static long[] insert(long[] a, int pos, long v) {
        long[] out = Arrays.copyOf(a, a.length + 1);
        System.arraycopy(a, pos, out, pos + 1, a.length - pos);
        out[pos] = v;
        return out;
    }
}
