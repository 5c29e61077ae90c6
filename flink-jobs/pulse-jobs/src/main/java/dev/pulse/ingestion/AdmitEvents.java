package dev.pulse.ingestion;

import dev.pulse.model.InputEvent;
import dev.pulse.model.Stream;
import dev.pulse.time.BusinessTime;
import dev.pulse.time.Period;
import java.time.Duration;
import java.util.Arrays;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The one place each event is admitted, keyed by visitor: an event too late to count becomes a {@code too_late}
 * dead letter; a second copy of an event id is dropped; every other event passes on, once.
 *
 * <p>Lateness is decided here for the smallest period the stream feeds: an event whose period ended more than
 * the allowed lateness before the watermark cannot change any value, so it is dead-lettered and counted. Windows
 * downstream use the same periods and lateness and never see a watermark ahead of this operator's for an event,
 * so they accept everything admitted. Late events within the lateness pass and correct values already sent.
 *
 * <p>De-duplication remembers, per visitor, the 64-bit hash and event time of each id admitted, in event time: while
 * the event could still count (its period's end + the allowed lateness) and {@code dedupHorizon} beyond, so a
 * copy arriving soon after its original could last count is still dropped as a duplicate (and not reported as a
 * too-late event, which would suggest something was lost); after that a copy would be too late anyway. Copies
 * are recognised before lateness is decided for the same reason. The state is a small array of longs per
 * active visitor with a single event-time timer, which clears it once the visitor's newest id has left the
 * horizon. A visitor with
 * more than {@value #MAX_REMEMBERED} ids in the horizon (a bot) keeps the newest ones.
 */
public class AdmitEvents<T extends InputEvent> extends KeyedProcessFunction<String, T, T> {
    private static final long serialVersionUID = 1L;
    static final int MAX_REMEMBERED = 8192;

    private final Admission admission;
    private final long dedupHorizonMs;
    /** Pairs: hash, event time; oldest first. */
    private transient ValueState<long[]> recent;

    public AdmitEvents(Stream stream, Period period, Duration allowedLateness, Duration dedupHorizon,
                       BusinessTime businessTime) {
        this.admission = new Admission(stream, period, allowedLateness, businessTime);
        this.dedupHorizonMs = dedupHorizon.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        recent = getRuntimeContext().getState(
                new ValueStateDescriptor<>("recent-ids", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        admission.open(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(T event, Context ctx, Collector<T> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        long timestamp = event.eventTime().toEpochMilli();
        long hash = EventIds.hash(event.eventId());
        long[] ids = recent.value();
        int live = 0;
        if (ids != null) {
            for (int i = 0; i < ids.length; i += 2) {
                if (ids[i] == hash) {
                    admission.duplicate();
                    return;
                }
            }
            for (int i = 0; i < ids.length; i += 2) {
                if (forgetAt(ids[i + 1]) > watermark) {
                    live++;
                }
            }
        }
        if (admission.rejectTooLate(event, timestamp, watermark, ctx)) {
            return;
        }
        recent.update(remembered(ids, live, watermark, hash, timestamp));
        if (ids == null) {
            // one timer per visitor at a time (a timer per id would crowd the timer queue): it goes off when this
            // id is forgotten and then waits for the newest one left, if any
            ctx.timerService().registerEventTimeTimer(forgetAt(timestamp));
        }
        admission.admitted(timestamp, watermark);
        out.collect(event);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<T> out) throws Exception {
        long[] ids = recent.value();
        if (ids == null) {
            return;
        }
        int live = 0;
        long newest = Long.MIN_VALUE;
        for (int i = 0; i < ids.length; i += 2) {
            long forget = forgetAt(ids[i + 1]);
            if (forget > timestamp) {
                live++;
                newest = Math.max(newest, forget);
            }
        }
        if (live == 0) {
            recent.clear();
            return;
        }
        if (live < ids.length / 2) {
            recent.update(liveOnly(ids, timestamp, live));
        }
        ctx.timerService().registerEventTimeTimer(newest);
    }

    private long[] liveOnly(long[] ids, long watermark, int live) {
        long[] kept = new long[2 * live];
        int j = 0;
        for (int i = 0; i < ids.length; i += 2) {
            if (forgetAt(ids[i + 1]) > watermark) {
                kept[j++] = ids[i];
                kept[j++] = ids[i + 1];
            }
        }
        return kept;
    }

    /** The watermark from which an id of this time is forgotten. */
    private long forgetAt(long eventTime) {
        return admission.lastCounts(eventTime) + dedupHorizonMs;
    }

    /** The live ids (at most {@link #MAX_REMEMBERED} - 1 of the newest), then the new one. */
    private long[] remembered(long[] ids, int live, long watermark, long hash, long timestamp) {
        int kept = Math.min(live, MAX_REMEMBERED - 1);
        long[] next = new long[2 * kept + 2];
        int skip = live - kept;
        int j = 0;
        if (ids != null) {
            for (int i = 0; i < ids.length; i += 2) {
                if (forgetAt(ids[i + 1]) > watermark && skip-- <= 0) {
                    next[j++] = ids[i];
                    next[j++] = ids[i + 1];
                }
            }
        }
        next[j++] = hash;
        next[j] = timestamp;
        return j + 1 == next.length ? next : Arrays.copyOf(next, j + 1);
    }
}
