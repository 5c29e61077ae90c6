package dev.pulse.pipeline;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.model.MetricRecord;
import dev.pulse.time.Period;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A ratio of two unlabelled metrics of the same period that two families compute (visit-to-order conversion:
 * paying users from orders, DAU from users), made from their records: per window, the latest value of each, and
 * the ratio again whenever one changes, final once both are. A few records per window, keyed by window.
 */
public final class DerivedRatio extends KeyedProcessFunction<String, MetricRecord, MetricRecord> {
    private static final long serialVersionUID = 1L;
    private static final double MISSING = Double.NaN;

    private final String numerator;
    private final String denominator;
    private final String result;
    private final Period period;
    private final long clearAfterMs;
    /** numerator, denominator (NaN until known), and whether each is final (1) or not (0). */
    private transient ValueState<double[]> latest;

    DerivedRatio(MetricDefinition numerator, MetricDefinition denominator, MetricDefinition result,
                 Duration allowedLateness) {
        this.numerator = numerator.recordName();
        this.denominator = denominator.recordName();
        this.result = result.recordName();
        this.period = result.period();
        this.clearAfterMs = allowedLateness.toMillis() + 1;
    }

    /** The ratio's records, from all the records of the job; its input metrics come from the same stream. */
    static DataStream<MetricRecord> of(DataStream<MetricRecord> all, MetricDefinition numerator,
                                       MetricDefinition denominator, MetricDefinition result, Duration lateness,
                                       String name) {
        String p = result.period().code();
        String num = numerator.recordName();
        String den = denominator.recordName();
        return all.filter(m -> m.period.equals(p) && (m.name.equals(num) || m.name.equals(den)))
                .uid(name + "-inputs").name(name + "-inputs")
                .keyBy(m -> m.windowStart, TypeInformation.of(String.class))
                .process(new DerivedRatio(numerator, denominator, result, lateness),
                        TypeInformation.of(MetricRecord.class))
                .uid(name).name(name);
    }

    @Override
    public void open(OpenContext openContext) {
        latest = getRuntimeContext().getState(new ValueStateDescriptor<>("latest",
                PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    public void processElement(MetricRecord record, Context ctx, Collector<MetricRecord> out) throws Exception {
        double[] values = latest.value();
        if (values == null) {
            values = new double[] {MISSING, MISSING, 0, 0};
            // the window's record carries its last millisecond as timestamp
            ctx.timerService().registerEventTimeTimer(ctx.timestamp() + clearAfterMs);
        }
        int i = record.name.equals(numerator) ? 0 : 1;
        values[i] = record.value;
        values[2 + i] = record.isFinal ? 1 : 0;
        latest.update(values);
        if (!Double.isNaN(values[0]) && !Double.isNaN(values[1]) && values[1] > 0) {
            out.collect(new MetricRecord(result, period, Map.of(), record.windowStart, record.windowEnd,
                    values[0] / values[1], values[2] == 1 && values[3] == 1));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricRecord> out) {
        latest.clear();
    }
}
