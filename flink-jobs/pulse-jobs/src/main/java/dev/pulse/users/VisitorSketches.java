package dev.pulse.users;

import dev.pulse.ingestion.VisitorKeys;
import dev.pulse.model.ClickDimensions;
import dev.pulse.model.ClickEvent;
import dev.pulse.time.BusinessDays;
import dev.pulse.time.BusinessTime;
import dev.pulse.window.BufferingOperator;
import dev.pulse.window.SketchPartial;
import java.util.HashMap;
import java.util.Map;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Sketch mode: adds each admitted click's visitor to HyperLogLog sketches, per minute for UV (by channel and
 * platform, and in total) and per business day for MAU, inside the subtask that admitted it; the sketches then
 * cross the shuffle to the metric's few keys, where they are unioned. No state per visitor.
 */
public final class VisitorSketches extends BufferingOperator<ClickEvent, SketchPartial> {
    private static final long serialVersionUID = 1L;
    static final String MAU = "mau";

    private final boolean uv;
    private final boolean mau;
    private final int lgK;
    private final BusinessTime businessTime;
    private transient Map<Long, Map<String, HllSketch>> buffered;
    private transient BusinessDays days;

    public VisitorSketches(boolean uv, boolean mau, int lgK, BusinessTime businessTime) {
        this.uv = uv;
        this.mau = mau;
        this.lgK = lgK;
        this.businessTime = businessTime;
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffered = new HashMap<>();
        days = new BusinessDays(businessTime.zone());
    }

    @Override
    public void processElement(StreamRecord<ClickEvent> element) {
        ClickEvent click = element.getValue();
        long time = click.eventTime().toEpochMilli();
        String visitor = VisitorKeys.of(click);
        if (uv) {
            long minute = BusinessTime.minuteStart(time);
            sketch(minute, UserSums.uv(ClickDimensions.pairOf(click.channel, click.platform))).update(visitor);
            sketch(minute, UserSums.UV_TOTAL).update(visitor);
        }
        if (mau) {
            sketch(days.startOf(days.dayOf(time)), MAU).update(visitor);
        }
    }

    private HllSketch sketch(long windowStart, String key) {
        return buffered.computeIfAbsent(windowStart, w -> new HashMap<>())
                .computeIfAbsent(key, k -> new HllSketch(lgK, TgtHllType.HLL_8));
    }

    @Override
    protected void flush() {
        if (buffered.isEmpty()) {
            return;
        }
        StreamRecord<SketchPartial> record = new StreamRecord<>(null);
        buffered.forEach((window, byKey) -> byKey.forEach((key, sketch) ->
                output.collect(record.replace(new SketchPartial(key, window, sketch.toCompactByteArray()), window))));
        buffered.clear();
    }
}
