package dev.pulse.funnel;

import dev.pulse.model.ClickDimensions;
import dev.pulse.time.BusinessDays;
import dev.pulse.time.BusinessTime;
import dev.pulse.window.Tally;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.IntToLongFunction;
import java.util.function.LongUnaryOperator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The ordered funnel of one visitor, across its clicks (first input: product views and add-to-carts, read where
 * the click admission left them) and its orders (second input: created and paid, sent to the order's user and to
 * the anonymous visitor of its device). Each input keeps its own watermark; this operator's is the smaller.
 *
 * <p>A visitor reaches step k on day D when it has events of steps 1..k at non-decreasing times, the first on D
 * and the last at most the conversion window after it; by channel, when that first step came through the channel.
 * Whether that holds depends only on the set of events, so the operator keeps the visitor's recent steps (time,
 * step, channel), and on each one decides again, for the days the event can belong to, the deepest step reached;
 * a step reached for the first time sends one {@link Tally}. Reaching is never undone by more events, so nothing
 * is taken back, and the answer does not depend on the order events arrive in. For a first step at t1 the best
 * chain takes, step after step, the earliest event not before the previous one: so the deepest step is found
 * with a binary search per step and first step.
 *
 * <p>A day's funnel is final once no admissible event can extend a chain starting in it: the window and the
 * allowed lateness after the day ends (the family's day windows wait as long). A step is kept until every day it
 * can belong to is final; a visitor with more than {@value #MAX_STEPS} steps in that time (a bot) keeps the newest.
 * State: one long[] ({@code [timer, days, (day, bits)..., steps...]}, a step packed as time, step and channel).
 */
public class VisitorFunnel extends KeyedCoProcessFunction<String, FunnelStep, FunnelStep, Tally> {
    private static final long serialVersionUID = 1L;
    static final String KEY = "funnel";
    static final int MAX_STEPS = 512;
    /** Lanes of a day's bits: one per channel, then the total (any channel). */
    static final int TOTAL_LANE = ClickDimensions.CHANNELS.size();
    static final int LANES = TOTAL_LANE + 1;
    private static final int STEPS = FunnelStep.NAMES.length;
    private static final long MINUTE_MS = 60_000;

    private final long windowMs;
    private final long allowedLatenessMs;
    private final long closesAfterMs;
    private final BusinessTime businessTime;
    private transient ValueState<long[]> funnel;
    private transient BusinessDays days;

    public VisitorFunnel(Duration window, Duration allowedLateness, BusinessTime businessTime) {
        this.windowMs = window.toMillis();
        this.allowedLatenessMs = allowedLateness.toMillis();
        this.closesAfterMs = closesAfter(window, allowedLateness).toMillis();
        this.businessTime = businessTime;
    }

    /**
     * How long after its end a day's funnel is final: the window, rounded up to a minute (an event is admitted
     * until its minute's end + the lateness, so every admitted step falls in a day still open), and the lateness.
     */
    public static Duration closesAfter(Duration window, Duration allowedLateness) {
        long minutes = (window.toMillis() + 59_999) / 60_000;
        return allowedLateness.plus(Duration.ofMinutes(minutes));
    }

    /** The slot of a day's sums that counts visitors at the step in the lane. */
    static int slot(int step, int lane) {
        return step * LANES + lane;
    }

    @Override
    public void open(OpenContext openContext) {
        funnel = getRuntimeContext().getState(new ValueStateDescriptor<>("funnel",
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        days = new BusinessDays(businessTime.zone());
    }

    @Override
    public void processElement1(FunnelStep step, Context ctx, Collector<Tally> out) throws Exception {
        process(step, ctx, out);
    }

    @Override
    public void processElement2(FunnelStep step, Context ctx, Collector<Tally> out) throws Exception {
        process(step, ctx, out);
    }

    private void process(FunnelStep step, Context ctx, Collector<Tally> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        State s = State.of(funnel.value());
        if (!s.add(pack(step.time, step.step, step.channel))) {
            return; // the same step at the same time and channel decides nothing new
        }
        long[][] byStep = s.timesByStep();
        int firstDay = step.step == FunnelStep.PRODUCT_VIEW ? days.dayOf(step.time) : days.dayOf(step.time - windowMs);
        for (int day = firstDay; day <= days.dayOf(step.time); day++) {
            if (closesAt(day) > watermark) {
                decide(s, byStep, day, step, out);
            }
        }
        prune(s, byStep[FunnelStep.PRODUCT_VIEW], watermark);
        schedule(s, ctx);
        funnel.update(s.toArray());
    }

    /**
     * Forgets what can no longer change a value: steps and days whose days are final, and, among the steps no
     * admissible event can come before any more ("sealed"), product views another view of the same channel and
     * day makes useless (no later step in between: a chain from the later one is as deep and shorter) and later
     * steps with no product view within the window before them (chains need one). Most views go this way a few
     * minutes after they happen, and the order steps sent to a device that never viewed anything go entirely.
     */
    private void prune(State s, long[] viewTimes, long watermark) {
        s.prune(this::dropAt, this::closesAt, watermark);
        // no admissible event is at or before this time (before the first watermark: nothing is sealed)
        long sealed = watermark < Long.MIN_VALUE + allowedLatenessMs + MINUTE_MS ? Long.MIN_VALUE
                : watermark - allowedLatenessMs - MINUTE_MS;
        long[] lastViewOfChannel = new long[LANES];
        Arrays.fill(lastViewOfChannel, -1);
        int lastDay = Integer.MIN_VALUE;
        long[] drop = new long[s.stepCount()];
        int dropped = 0;
        for (int i = 0; i < s.stepCount(); i++) {
            long packed = s.step(i);
            long time = timeOf(packed);
            if (time > sealed) {
                break;
            }
            if (stepOf(packed) != FunnelStep.PRODUCT_VIEW) {
                Arrays.fill(lastViewOfChannel, -1);
                long view = earliestFrom(viewTimes, time - windowMs);
                if (view > time) {
                    drop[dropped++] = packed;
                }
                continue;
            }
            int day = days.dayOf(time);
            if (day != lastDay) {
                Arrays.fill(lastViewOfChannel, -1);
                lastDay = day;
            }
            int channel = channelOf(packed);
            if (lastViewOfChannel[channel] >= 0) {
                drop[dropped++] = lastViewOfChannel[channel];
            }
            lastViewOfChannel[channel] = packed;
        }
        if (dropped > 0) {
            long[] sorted = Arrays.copyOf(drop, dropped);
            Arrays.sort(sorted); // packed steps sort by time, as they are kept
            s.remove(sorted);
        }
    }

    /** Sends a tally for each step newly reached from a first step on the day, per lane. */
    private void decide(State s, long[][] byStep, int day, FunnelStep step, Collector<Tally> out) {
        long start = days.startOf(day);
        long end = days.startOf(day + 1);
        long bits = s.bits(day);
        long before = bits;
        for (int lane = 0; lane < LANES; lane++) {
            boolean affected = step.step != FunnelStep.PRODUCT_VIEW || lane == TOTAL_LANE || lane == step.channel;
            if (!affected || (bits & (1L << slot(STEPS - 1, lane))) != 0) {
                continue; // this event cannot change the lane, or it is at the last step already
            }
            int reached = deepest(s, byStep, start, end, lane);
            for (int k = 0; k <= reached; k++) {
                bits |= 1L << slot(k, lane);
            }
        }
        for (int slot = 0; slot < STEPS * LANES; slot++) {
            if ((bits & ~before & (1L << slot)) != 0) {
                out.collect(new Tally(KEY, slot, 1, start));
            }
        }
        if (bits != before) {
            s.setBits(day, bits);
        }
    }

    /** The deepest step (-1 for none) of a chain whose first step is in [start, end) and in the lane. */
    private int deepest(State s, long[][] byStep, long start, long end, int lane) {
        int best = -1;
        for (int i = 0; i < s.stepCount(); i++) {
            long packed = s.step(i);
            long t1 = timeOf(packed);
            if (t1 >= end) {
                break;
            }
            if (t1 < start || stepOf(packed) != FunnelStep.PRODUCT_VIEW
                    || (lane != TOTAL_LANE && channelOf(packed) != lane)) {
                continue;
            }
            int depth = 0;
            long at = t1;
            for (int k = 1; k < STEPS; k++) {
                long next = earliestFrom(byStep[k], at);
                if (next == Long.MAX_VALUE || next - t1 > windowMs) {
                    break;
                }
                at = next;
                depth = k;
            }
            best = Math.max(best, depth);
            if (best == STEPS - 1) {
                break;
            }
        }
        return best;
    }

    /** The earliest of the sorted times not before the given one, or Long.MAX_VALUE. */
    private static long earliestFrom(long[] sortedTimes, long from) {
        int i = Arrays.binarySearch(sortedTimes, from);
        if (i < 0) {
            i = -i - 1;
        } else {
            while (i > 0 && sortedTimes[i - 1] == from) {
                i--;
            }
        }
        return i < sortedTimes.length ? sortedTimes[i] : Long.MAX_VALUE;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Tally> out) throws Exception {
        long[] stored = funnel.value();
        if (stored == null) {
            return;
        }
        State s = State.of(stored);
        long watermark = ctx.timerService().currentWatermark();
        if (s.timer <= watermark) {
            s.timer = 0;
        }
        prune(s, s.timesByStep()[FunnelStep.PRODUCT_VIEW], watermark);
        if (s.stepCount() == 0 && s.dayCount() == 0) {
            funnel.clear();
            return;
        }
        schedule(s, ctx);
        funnel.update(s.toArray());
    }

    private void schedule(State s, Context ctx) {
        long due = Long.MAX_VALUE;
        for (int i = 0; i < s.dayCount(); i++) {
            due = Math.min(due, closesAt(s.dayAt(i)));
        }
        if (s.stepCount() > 0) {
            due = Math.min(due, dropAt(s.step(0)));
            if (!s.hasView()) {
                // only later steps (an order sent to a device that viewed nothing): gone once sealed
                due = Math.min(due, timeOf(s.step(s.stepCount() - 1)) + allowedLatenessMs + MINUTE_MS);
            }
        }
        if (due != Long.MAX_VALUE && (s.timer == 0 || due < s.timer)) {
            ctx.timerService().registerEventTimeTimer(due);
            s.timer = due;
        }
    }

    /** The watermark from which the day's funnel is final. */
    private long closesAt(int day) {
        return days.startOf(day + 1) - 1 + closesAfterMs;
    }

    /** A step is no use once the latest day it can belong to, its own, is final. */
    private long dropAt(long packed) {
        return closesAt(days.dayOf(timeOf(packed)));
    }

    static long pack(long time, int step, int channel) {
        return time << 5 | (long) step << 3 | channel;
    }

    static long timeOf(long packed) {
        return packed >>> 5;
    }

    static int stepOf(long packed) {
        return (int) (packed >>> 3) & 3;
    }

    static int channelOf(long packed) {
        return (int) packed & 7;
    }

    /** The state of one visitor, unpacked for one event. */
    static final class State {
        long timer;
        private int[] dayList;
        private long[] dayBits;
        private long[] steps;
        private int stepCount;

        static State of(long[] stored) {
            State s = new State();
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
                steps = Arrays.copyOf(steps, Math.min(MAX_STEPS + 1, steps.length * 2));
            }
            System.arraycopy(steps, i, steps, i + 1, stepCount - i);
            steps[i] = packed;
            stepCount++;
            if (stepCount > MAX_STEPS) {
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
            int[] counts = new int[STEPS];
            for (int i = 0; i < stepCount; i++) {
                counts[stepOf(steps[i])]++;
            }
            long[][] times = new long[STEPS][];
            for (int k = 0; k < STEPS; k++) {
                times[k] = new long[counts[k]];
                counts[k] = 0;
            }
            for (int i = 0; i < stepCount; i++) {
                int k = stepOf(steps[i]);
                times[k][counts[k]++] = timeOf(steps[i]);
            }
            return times;
        }

        boolean hasView() {
            for (int i = 0; i < stepCount; i++) {
                if (stepOf(steps[i]) == FunnelStep.PRODUCT_VIEW) {
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
}
