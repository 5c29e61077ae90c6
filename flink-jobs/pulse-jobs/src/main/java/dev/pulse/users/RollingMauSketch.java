package dev.pulse.users;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.model.MetricRecord;
import dev.pulse.time.BusinessDays;
import dev.pulse.time.BusinessTime;
import dev.pulse.time.Period;
import dev.pulse.window.SketchPartial;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sketch mode's MAU: one sketch of the visitors of each business day, the union of the
 * {@value VisitorActivity#MAU_DAYS} ending on a day is its MAU, and DAU (that day's sketch) / MAU its stickiness.
 * Running values of a day while it is open (at most once per update interval after its sketch grew), the final
 * value when the watermark passes its end, and a corrected final value for each late partial within the allowed
 * lateness. Only days with a visitor are reported. A day's sketch is dropped once the last MAU it is part of can
 * no longer change. Keyed by the one key of MAU: what it receives are a few sketches per flush of each subtask.
 */
public class RollingMauSketch extends KeyedProcessFunction<String, SketchPartial, MetricRecord> {
    private static final long serialVersionUID = 1L;

    private final int lgK;
    private final long allowedLatenessMs;
    private final long updateIntervalMs;
    private final BusinessTime businessTime;
    /** Epoch day in the business time zone to that day's sketch. */
    private transient MapState<Integer, byte[]> sketches;
    private transient BusinessDays days;
    /** Days whose sketch grew since their last running value. */
    private transient MapState<Integer, Boolean> changed;

    public RollingMauSketch(int lgK, Duration allowedLateness, Duration updateInterval, BusinessTime businessTime) {
        this.lgK = lgK;
        this.allowedLatenessMs = allowedLateness.toMillis();
        this.updateIntervalMs = updateInterval.toMillis();
        this.businessTime = businessTime;
    }

    @Override
    public void open(OpenContext openContext) {
        days = new BusinessDays(businessTime.zone());
        sketches = getRuntimeContext().getMapState(new MapStateDescriptor<>("day-sketches", Types.INT,
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        changed = getRuntimeContext().getMapState(new MapStateDescriptor<>("changed-days", Types.INT,
                Types.BOOLEAN));
    }

    @Override
    public void processElement(SketchPartial partial, Context ctx, Collector<MetricRecord> out) throws Exception {
        int day = days.dayOf(partial.windowStart);
        byte[] stored = sketches.get(day);
        sketches.put(day, stored == null ? partial.sketch
                : union(List.of(stored, partial.sketch)).toCompactByteArray());
        long watermark = ctx.timerService().currentWatermark();
        if (stored == null) {
            ctx.timerService().registerEventTimeTimer(forgetAt(day));
        }
        if (lastOf(day) <= watermark) {
            emit(day, true, out); // a late partial within the lateness: the corrected final value
        } else {
            ctx.timerService().registerEventTimeTimer(lastOf(day));
        }
        // the open days whose MAU this day is part of change too (a late partial changes today's)
        for (Integer open : sketches.keys()) {
            if (open >= day && open < day + VisitorActivity.MAU_DAYS && lastOf(open) > watermark) {
                changed(open, ctx);
            }
        }
    }

    private void changed(int day, Context ctx) throws Exception {
        if (updateIntervalMs > 0) {
            changed.put(day, true);
            long now = ctx.timerService().currentProcessingTime();
            ctx.timerService().registerProcessingTimeTimer(now - Math.floorMod(now, updateIntervalMs)
                    + updateIntervalMs);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricRecord> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            for (Integer day : list(changed.keys())) {
                if (lastOf(day) > watermark && sketches.contains(day)) {
                    emit(day, false, out);
                }
            }
            changed.clear();
            return;
        }
        List<Integer> stored = list(sketches.keys());
        for (Integer day : stored) {
            if (lastOf(day) == timestamp) {
                emit(day, true, out);
                changed.remove(day);
            }
        }
        for (Integer day : stored) {
            // by the timer's time, not the watermark: at the end of a batch input the watermark jumps to the end
            if (forgetAt(day) <= timestamp) {
                sketches.remove(day);
            }
        }
    }

    private void emit(int day, boolean isFinal, Collector<MetricRecord> out) throws Exception {
        List<byte[]> window = new ArrayList<>();
        for (Map.Entry<Integer, byte[]> e : sketches.entries()) {
            if (e.getKey() > day - VisitorActivity.MAU_DAYS && e.getKey() <= day) {
                window.add(e.getValue());
            }
        }
        double mau = Math.round(union(window).getEstimate());
        double dau = Math.round(HllSketch.heapify(sketches.get(day)).getEstimate());
        String start = businessTime.format(days.startOf(day));
        String end = businessTime.format(days.startOf(day + 1));
        out.collect(new MetricRecord(MetricDefinition.MAU.recordName(), Period.DAY, Map.of(), start, end, mau,
                isFinal));
        out.collect(new MetricRecord(MetricDefinition.STICKINESS.recordName(), Period.DAY, Map.of(), start, end,
                dau / mau, isFinal));
    }

    private HllSketch union(List<byte[]> parts) {
        Union union = new Union(lgK);
        parts.forEach(s -> union.update(HllSketch.heapify(s)));
        return union.getResult(TgtHllType.HLL_8);
    }

    /** The last millisecond of the day: its final value is due when the watermark reaches it. */
    private long lastOf(int day) {
        return days.startOf(day + 1) - 1;
    }

    /** When the last MAU this day counts in (29 days on) can no longer be corrected. */
    private long forgetAt(int day) {
        return lastOf(day + VisitorActivity.MAU_DAYS - 1) + allowedLatenessMs;
    }

    private static <T> List<T> list(Iterable<T> values) {
        List<T> list = new ArrayList<>();
        values.forEach(list::add);
        return list;
    }
}
