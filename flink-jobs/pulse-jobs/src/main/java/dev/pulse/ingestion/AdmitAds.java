package dev.pulse.ingestion;

import dev.pulse.catalog.JobMetric;
import dev.pulse.model.AdEvent;
import dev.pulse.model.Stream;
import dev.pulse.time.BusinessTime;
import dev.pulse.time.Period;
import java.time.Duration;
import java.util.Arrays;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Admission of the ad stream, keyed by visitor: what {@link AdmitEvents} does for every stream (a second copy of
 * an event id dropped, an event too late to count dead-lettered), and what makes an ad event count once. An
 * impression counts the first time its impression id comes; a second copy (the same impression id under another
 * event id, the ad platform sending it twice) is dropped as a duplicate, whatever its time, cost or labels, for as
 * long as the id is remembered. A click always counts. A click whose impression the visitor has not shown yet is
 * remembered as pending: if the impression comes (later, out of order) within the horizon, nothing more happens;
 * if not, the click is counted in {@link JobMetric#AD_CLICKS_WITHOUT_IMPRESSION} when the horizon has passed. An
 * impression and its click are matched only within one visitor key: the same user, or the same device when
 * anonymous.
 *
 * <p>One state and at most one timer per visitor for both jobs, so an ad event costs one state read and one write: a
 * {@code long[]} of {@code [timer, then per entry its hash, its event time and its kind]}, an entry being an event
 * id (forgotten as in {@link AdmitEvents}), an impression id shown or a click's impression id still awaited (both
 * forgotten when the watermark passes their time + the impression horizon + the allowed lateness). A visitor with
 * more than {@value #MAX_ENTRIES} entries (a bot) keeps the newest.
 */
public class AdmitAds extends KeyedProcessFunction<String, AdEvent, AdEvent> {
    private static final long serialVersionUID = 1L;
    static final int MAX_ENTRIES = 8192;
    private static final int STRIDE = 3;
    private static final int HASH = 0;
    private static final int TIME = 1;
    private static final int KIND = 2;
    private static final long EVENT_ID = 0;
    private static final long IMPRESSION = 1;
    private static final long PENDING_CLICK = 2;

    private final Admission admission;
    private final long dedupHorizonMs;
    private final long impressionHorizonMs;
    private transient ValueState<long[]> visitor;
    private transient Counter withoutImpression;

    public AdmitAds(Period period, Duration allowedLateness, Duration dedupHorizon, Duration impressionHorizon,
                    BusinessTime businessTime) {
        this.admission = new Admission(Stream.AD, period, allowedLateness, businessTime);
        this.dedupHorizonMs = dedupHorizon.toMillis();
        this.impressionHorizonMs = impressionHorizon.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        visitor = getRuntimeContext().getState(new ValueStateDescriptor<>("ad-visitor",
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        MetricGroup operator = getRuntimeContext().getMetricGroup();
        admission.open(operator);
        withoutImpression = JobMetric.AD_CLICKS_WITHOUT_IMPRESSION.register(operator, Stream.AD.code());
    }

    @Override
    public void processElement(AdEvent event, Context ctx, Collector<AdEvent> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        long time = event.eventTime().toEpochMilli();
        long id = EventIds.hash(event.eventId);
        long impression = EventIds.hash(event.impressionId);
        boolean isImpression = AdEvent.IMPRESSION.equals(event.kind);
        long[] stored = visitor.value();
        long[] state = stored == null ? new long[] {0} : stored;
        boolean shown = false;
        for (int at = 1; at < state.length; at += STRIDE) {
            long kind = state[at + KIND];
            long hash = state[at + HASH];
            if (kind == EVENT_ID && hash == id) {
                admission.duplicate();
                return;
            }
            shown |= kind == IMPRESSION && hash == impression;
        }
        if (isImpression && shown) {
            admission.duplicate(); // a second copy of the impression: counted once already
            return;
        }
        if (admission.rejectTooLate(event, time, watermark, ctx)) {
            return;
        }
        // what is due is forgotten, the clicks this impression was awaited by too; then the new entries
        int adding = isImpression || !shown ? 2 : 1;
        state = retain(state, watermark, impression, isImpression, adding);
        int at = state.length - adding * STRIDE;
        put(state, at, id, time, EVENT_ID);
        if (adding == 2) {
            put(state, at + STRIDE, impression, time, isImpression ? IMPRESSION : PENDING_CLICK);
        }
        save(state, ctx);
        admission.admitted(time, watermark);
        out.collect(event);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AdEvent> out) throws Exception {
        long[] state = visitor.value();
        if (state == null) {
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        state[0] = 0; // the one pending timer fired
        state = retain(state, watermark, 0, false, 0);
        if (state.length == 1) {
            visitor.clear();
            return;
        }
        save(state, ctx);
    }

    /** What {@link JobMetric#AD_CLICKS_WITHOUT_IMPRESSION} has counted in this subtask. */
    long clicksWithoutImpression() {
        return withoutImpression.getCount();
    }

    /**
     * The entries still remembered at this watermark (a pending click forgotten is counted), less the pending
     * clicks of {@code shownNow} if {@code resolve}, with room for {@code adding} entries at the end (a bot's oldest
     * entries go to keep at most {@value #MAX_ENTRIES}).
     */
    private long[] retain(long[] state, long watermark, long shownNow, boolean resolve, int adding) {
        long[] kept = new long[state.length + adding * STRIDE];
        kept[0] = state[0];
        int to = 1;
        for (int at = 1; at < state.length; at += STRIDE) {
            long kind = state[at + KIND];
            if (resolve && kind == PENDING_CLICK && state[at + HASH] == shownNow) {
                continue;
            }
            if (forgetAt(state[at + TIME], kind) > watermark) {
                System.arraycopy(state, at, kept, to, STRIDE);
                to += STRIDE;
            } else if (kind == PENDING_CLICK) {
                withoutImpression.inc();
            }
        }
        int over = (to - 1) / STRIDE + adding - MAX_ENTRIES;
        if (over > 0) {
            System.arraycopy(kept, 1 + over * STRIDE, kept, 1, to - 1 - over * STRIDE);
            to -= over * STRIDE;
        }
        int length = to + adding * STRIDE;
        return length == kept.length ? kept : Arrays.copyOf(kept, length); // usually nothing was dropped
    }

    private static void put(long[] state, int at, long hash, long time, long kind) {
        state[at + HASH] = hash;
        state[at + TIME] = time;
        state[at + KIND] = kind;
    }

    /**
     * Registers a timer, if none is pending, when the last entry is due: a visitor seen once (most ad visitors: an
     * impression shown) then costs one timer, not one per entry. Entries due earlier stay until it fires (or the
     * visitor's next event drops them); a click awaiting its impression is counted then, at most a horizon late.
     */
    private void save(long[] state, Context ctx) throws Exception {
        if (state[0] == 0) {
            long due = Long.MIN_VALUE;
            for (int at = 1; at < state.length; at += STRIDE) {
                due = Math.max(due, forgetAt(state[at + TIME], state[at + KIND]));
            }
            if (due != Long.MIN_VALUE) {
                ctx.timerService().registerEventTimeTimer(due);
                state[0] = due;
            }
        }
        visitor.update(state);
    }

    /** The watermark from which the entry is forgotten (a pending click: counted without impression). */
    private long forgetAt(long time, long kind) {
        return kind == EVENT_ID ? admission.lastCounts(time) + dedupHorizonMs
                : time + impressionHorizonMs + admission.allowedLatenessMs();
    }
}
