package dev.pulse.funnel;

import dev.pulse.model.ClickDimensions;
import dev.pulse.time.BusinessDays;
import dev.pulse.time.BusinessTime;
import dev.pulse.time.PendingTimer;
import dev.pulse.window.Tally;
import java.time.Duration;
import java.util.Arrays;
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
 * State: one long[] per visitor ({@link FunnelState}).
 */
public class VisitorFunnel extends KeyedCoProcessFunction<String, FunnelStep, FunnelStep, Tally> {
    private static final long serialVersionUID = 1L;
    static final String KEY = "funnel";
    static final int MAX_STEPS = 512;
    /** Lanes of a day's bits: one per channel, then the total (any channel). */
    static final int TOTAL_LANE = ClickDimensions.CHANNELS.size();
    static final int LANES = TOTAL_LANE + 1;
    static final int STEPS = FunnelStep.NAMES.length;
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
        FunnelState s = FunnelState.of(funnel.value());
        if (!s.add(pack(step.time, step.step, step.channel))) {
            return; // the same step at the same time and channel decides nothing new
        }
        long[][] byStep = s.timesByStep();
        // a view starts chains only on its own day; a later step ends chains started up to a window before it
        int lastDay = days.dayOf(step.time);
        int firstDay = step.step == FunnelStep.PRODUCT_VIEW ? lastDay : days.dayOf(step.time - windowMs);
        for (int day = firstDay; day <= lastDay; day++) {
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
    private void prune(FunnelState s, long[] viewTimes, long watermark) {
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
    private void decide(FunnelState s, long[][] byStep, int day, FunnelStep step, Collector<Tally> out) {
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
    private int deepest(FunnelState s, long[][] byStep, long start, long end, int lane) {
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
        FunnelState s = FunnelState.of(stored);
        long watermark = ctx.timerService().currentWatermark();
        s.timer = PendingTimer.afterFiring(s.timer, watermark);
        prune(s, s.timesByStep()[FunnelStep.PRODUCT_VIEW], watermark);
        if (s.stepCount() == 0 && s.dayCount() == 0) {
            funnel.clear();
            return;
        }
        schedule(s, ctx);
        funnel.update(s.toArray());
    }

    private void schedule(FunnelState s, Context ctx) {
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
        s.timer = PendingTimer.schedule(ctx.timerService(), s.timer, due);
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
}
