package dev.pulse.window;

import dev.pulse.model.MetricRecord;
import dev.pulse.time.BusinessTime;
import dev.pulse.time.Period;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Writes a window's values as metric records, final once the watermark has passed the window's end. */
public class EmitMetricRecords extends ProcessWindowFunction<long[], MetricRecord, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final Period period;
    private final WindowValues values;
    private final BusinessTime businessTime;

    public EmitMetricRecords(Period period, WindowValues values, BusinessTime businessTime) {
        this.period = period;
        this.values = values;
        this.businessTime = businessTime;
    }

    @Override
    public void process(String key, Context context, Iterable<long[]> aggregates, Collector<MetricRecord> out) {
        TimeWindow window = context.window();
        boolean isFinal = context.currentWatermark() >= window.maxTimestamp();
        String start = businessTime.format(window.getStart());
        String end = businessTime.format(window.getEnd());
        long[] sums = aggregates.iterator().next();
        values.emit(key, sums, (name, labels, value) ->
                out.collect(new MetricRecord(name, period, labels, start, end, value, isFinal)));
    }
}
