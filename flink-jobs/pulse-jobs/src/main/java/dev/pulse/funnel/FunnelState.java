package dev.pulse.funnel;

import java.util.Arrays;
import java.util.function.IntToLongFunction;
import java.util.function.LongUnaryOperator;

/**
 * The funnel state of one visitor, unpacked for one event: the pending timer, the days still open with the steps
 * reached in each lane (bits), and the visitor's steps in time order (each packed by {@link VisitorFunnel#pack}).
 * Stored as one {@code long[]}: {@code [timer, days, (day, bits)..., steps...]}.
 */
final class FunnelState {
    long timer;
    private int[] dayList;
    private long[] dayBits;
    private long[] steps;
    private int stepCount;

    static FunnelState of(long[] stored) {
        FunnelState s = new FunnelState();
        if (stored == null) {
            s.dayList = new int[0];
            s.dayBits = new long[0];
            s.steps = new long[4];
            return s;
        }
        s.timer = stored[0];
        int n = (int) stored[1];
        s.dayList = new int[n];
        s.dayBits = new long[n];
        for (int i = 0; i < n; i++) {
            s.dayList[i] = (int) stored[2 + 2 * i];
            s.dayBits[i] = stored[3 + 2 * i];
        }
        s.steps = Arrays.copyOfRange(stored, 2 + 2 * n, stored.length + 1);
        s.stepCount = stored.length - 2 - 2 * n;
        return s;
    }

    long[] toArray() {
        int n = dayList.length;
        long[] a = new long[2 + 2 * n + stepCount];
        a[0] = timer;
        a[1] = n;
        for (int i = 0; i < n; i++) {
            a[2 + 2 * i] = dayList[i];
            a[3 + 2 * i] = dayBits[i];
        }
        System.arraycopy(steps, 0, a, 2 + 2 * n, stepCount);
        return a;
    }

    /** Inserts a step in time order; false if it is there already. Beyond the cap the oldest goes. */
    boolean add(long packed) {
        int i = Arrays.binarySearch(steps, 0, stepCount, packed);
        if (i >= 0) {
            return false;
        }
        i = -i - 1;
        if (stepCount == steps.length) {
            steps = Arrays.copyOf(steps, Math.min(VisitorFunnel.MAX_STEPS + 1, steps.length * 2));
        }
        System.arraycopy(steps, i, steps, i + 1, stepCount - i);
        steps[i] = packed;
        stepCount++;
        if (stepCount > VisitorFunnel.MAX_STEPS) {
            System.arraycopy(steps, 1, steps, 0, --stepCount);
        }
        return true;
    }

    int stepCount() {
        return stepCount;
    }

    long step(int i) {
        return steps[i];
    }

    int dayCount() {
        return dayList.length;
    }

    int dayAt(int i) {
        return dayList[i];
    }

    long bits(int day) {
        for (int i = 0; i < dayList.length; i++) {
            if (dayList[i] == day) {
                return dayBits[i];
            }
        }
        return 0;
    }

    void setBits(int day, long bits) {
        for (int i = 0; i < dayList.length; i++) {
            if (dayList[i] == day) {
                dayBits[i] = bits;
                return;
            }
        }
        dayList = Arrays.copyOf(dayList, dayList.length + 1);
        dayBits = Arrays.copyOf(dayBits, dayBits.length + 1);
        dayList[dayList.length - 1] = day;
        dayBits[dayBits.length - 1] = bits;
    }

    /** The times of each step, sorted. */
    long[][] timesByStep() {
        int[] counts = new int[VisitorFunnel.STEPS];
        for (int i = 0; i < stepCount; i++) {
            counts[VisitorFunnel.stepOf(steps[i])]++;
        }
        long[][] times = new long[VisitorFunnel.STEPS][];
        for (int k = 0; k < VisitorFunnel.STEPS; k++) {
            times[k] = new long[counts[k]];
            counts[k] = 0;
        }
        for (int i = 0; i < stepCount; i++) {
            int k = VisitorFunnel.stepOf(steps[i]);
            times[k][counts[k]++] = VisitorFunnel.timeOf(steps[i]);
        }
        return times;
    }

    boolean hasView() {
        for (int i = 0; i < stepCount; i++) {
            if (VisitorFunnel.stepOf(steps[i]) == FunnelStep.PRODUCT_VIEW) {
                return true;
            }
        }
        return false;
    }

    /** Removes these steps (each present once, in time order). */
    void remove(long[] sortedPacked) {
        int kept = 0;
        int j = 0;
        for (int i = 0; i < stepCount; i++) {
            if (j < sortedPacked.length && steps[i] == sortedPacked[j]) {
                j++;
            } else {
                steps[kept++] = steps[i];
            }
        }
        stepCount = kept;
    }

    /** Drops the steps and days no longer of use at this watermark. */
    void prune(LongUnaryOperator dropAt, IntToLongFunction closesAt,
               long watermark) {
        int kept = 0;
        for (int i = 0; i < stepCount; i++) {
            if (dropAt.applyAsLong(steps[i]) > watermark) {
                steps[kept++] = steps[i];
            }
        }
        stepCount = kept;
        int d = 0;
        for (int i = 0; i < dayList.length; i++) {
            if (closesAt.applyAsLong(dayList[i]) > watermark) {
                dayList[d] = dayList[i];
                dayBits[d++] = dayBits[i];
            }
        }
        if (d < dayList.length) {
            dayList = Arrays.copyOf(dayList, d);
            dayBits = Arrays.copyOf(dayBits, d);
        }
    }
}
