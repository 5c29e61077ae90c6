package dev.pulse.ads;

import dev.pulse.catalog.JobMetric;
import dev.pulse.ingestion.EventIds;
import dev.pulse.model.AdEvent;
import dev.pulse.model.Stream;
import java.time.Duration;
import java.util.Arrays;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The ad events of one visitor (the user, or the device of an anonymous visitor), fed the admitted ad events where
 * they are (ingestion keys ads by visitor): it passes on what counts, once. An impression counts the first time
 * its impression id reaches the operator; a second copy (the same impression id under another event id) is
 * dropped, whatever its time, cost or labels, for as long as the id is remembered. A click always counts (with
 * its cost). A click whose impression the visitor has not shown yet is remembered as pending: if the impression
 * comes (later, out of order) within the horizon, nothing more happens; if not, the click is counted in
 * {@link JobMetric#AD_CLICKS_WITHOUT_IMPRESSION} when the horizon has passed. An impression and its click are
 * matched only within one visitor key: the same user, or the same device when anonymous.
 *
 * <p>An impression id (or a pending click) is remembered until the watermark passes its event time + the horizon
 * + the allowed lateness. State: one {@code long[]} per visitor, {@code [timer, then per entry its impression id
 * hash, its event time and its kind]}, and one pending event-time timer; a visitor with more than
 * {@value #MAX_ENTRIES} entries in the horizon (a bot) keeps the newest.
 */
public class AdActivity extends KeyedProcessFunction<String, AdEvent, AdEvent> {
    private static final long serialVersionUID = 1L;
    static final int MAX_ENTRIES = 8192;
    private static final int STRIDE = 3;
    private static final int HASH = 0;
    private static final int TIME = 1;
    private static final int KIND = 2;
    private static final long IMPRESSION = 0;
    private static final long PENDING_CLICK = 1;

    private final long allowedLatenessMs;
    private final long horizonMs;
    private transient ValueState<long[]> visitor;
    private transient Counter withoutImpression;

    public AdActivity(Duration allowedLateness, Duration impressionHorizon) {
        this.allowedLatenessMs = allowedLateness.toMillis();
        this.horizonMs = impressionHorizon.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        visitor = getRuntimeContext().getState(new ValueStateDescriptor<>("ad-visitor",
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        withoutImpression = JobMetric.AD_CLICKS_WITHOUT_IMPRESSION.register(getRuntimeContext().getMetricGroup(),
                Stream.AD.code());
    }

    @Override
    public void processElement(AdEvent event, Context ctx, Collector<AdEvent> out) throws Exception {
        long[] stored = visitor.value();
        long[] state = stored == null ? new long[] {0} : stored;
        long hash = EventIds.hash(event.impressionId);
        long time = event.eventTime().toEpochMilli();
        boolean shown = false;
        boolean pending = false;
        for (int at = 1; at < state.length; at += STRIDE) {
            if (state[at + HASH] == hash) {
                shown |= state[at + KIND] == IMPRESSION;
                pending |= state[at + KIND] == PENDING_CLICK;
            }
        }
        if (AdEvent.IMPRESSION.equals(event.kind)) {
            if (shown) {
                return; // a second copy: counted once already
            }
            out.collect(event);
            if (pending) {
                state = removeAll(state, hash, PENDING_CLICK); // the clicks found their impression
            }
            state = add(state, hash, time, IMPRESSION);
        } else {
            out.collect(event);
            if (!shown) {
                state = add(state, hash, time, PENDING_CLICK);
            }
        }
        schedule(state, ctx);
        visitor.update(state);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AdEvent> out) throws Exception {
        long[] state = visitor.value();
        if (state == null) {
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        if (state[0] <= watermark) {
            state[0] = 0; // this one fired; an earlier one registered later may fire first, and is forgotten
        }
        int kept = 1;
        for (int at = 1; at < state.length; at += STRIDE) {
            if (forgetAt(state[at + TIME]) > watermark) {
                System.arraycopy(state, at, state, kept, STRIDE);
                kept += STRIDE;
            } else if (state[at + KIND] == PENDING_CLICK) {
                withoutImpression.inc();
            }
        }
        if (kept == 1) {
            visitor.clear();
            return;
        }
        state = Arrays.copyOf(state, kept);
        schedule(state, ctx);
        visitor.update(state);
    }

    /** What {@link JobMetric#AD_CLICKS_WITHOUT_IMPRESSION} has counted in this subtask. */
    long clicksWithoutImpression() {
        return withoutImpression.getCount();
    }

    private static long[] add(long[] state, long hash, long time, long kind) {
        int from = 1;
        if ((state.length - 1) / STRIDE >= MAX_ENTRIES) {
            from = 1 + STRIDE; // the oldest entry goes
        }
        long[] grown = new long[1 + (state.length - from) + STRIDE];
        grown[0] = state[0];
        System.arraycopy(state, from, grown, 1, state.length - from);
        int at = grown.length - STRIDE;
        grown[at + HASH] = hash;
        grown[at + TIME] = time;
        grown[at + KIND] = kind;
        return grown;
    }

    private static long[] removeAll(long[] state, long hash, long kind) {
        long[] kept = new long[state.length];
        kept[0] = state[0];
        int to = 1;
        for (int at = 1; at < state.length; at += STRIDE) {
            if (state[at + HASH] != hash || state[at + KIND] != kind) {
                System.arraycopy(state, at, kept, to, STRIDE);
                to += STRIDE;
            }
        }
        return Arrays.copyOf(kept, to);
    }

    /** Registers a timer for the next entry to forget, unless one is pending no later than that. */
    private void schedule(long[] state, Context ctx) {
        long due = Long.MAX_VALUE;
        for (int at = 1; at < state.length; at += STRIDE) {
            due = Math.min(due, forgetAt(state[at + TIME]));
        }
        if (due != Long.MAX_VALUE && (state[0] == 0 || due < state[0])) {
            ctx.timerService().registerEventTimeTimer(due);
            state[0] = due;
        }
    }

    /** The watermark after which the entry is forgotten (a pending click: counted without impression). */
    private long forgetAt(long time) {
        return time + horizonMs + allowedLatenessMs;
    }
}
