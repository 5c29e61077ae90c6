package dev.pulse.window;

import dev.pulse.model.MetricRecord;
import dev.pulse.time.BusinessTime;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Writes a window's values as metric records, final once the watermark has passed the window's end. */
public class EmitMetricRecords<A> extends ProcessWindowFunction<A, MetricRecord, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final WindowValues<A> values;
    private final BusinessTime businessTime;

    public EmitMetricRecords(WindowValues<A> values, BusinessTime businessTime) {
        this.values = values;
        this.businessTime = businessTime;
    }

    @Override
    public void process(String key, Context context, Iterable<A> aggregates, Collector<MetricRecord> out) {
        TimeWindow window = context.window();
        boolean isFinal = context.currentWatermark() >= window.maxTimestamp();
        String start = businessTime.format(window.getStart());
        String end = businessTime.format(window.getEnd());
        A aggregate = aggregates.iterator().next();
        values.emit(key, aggregate,
                (name, labels, value) -> out.collect(new MetricRecord(name, labels, start, end, value, isFinal)));
    }
}
