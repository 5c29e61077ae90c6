package dev.pulse.window;

import dev.pulse.json.Json;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.DeadLetterReason;
import dev.pulse.model.MetricRecord;
import dev.pulse.model.Stream;
import dev.pulse.time.Period;
import dev.pulse.time.PeriodWindows;
import dev.pulse.time.TimePolicy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * Event-time windows of a period over partial sums, keyed by their labels: running values while a window is
 * open, the final value when the watermark passes its end, and a corrected final value for each late partial
 * within the allowed lateness. The window's state is cleared once the lateness has passed.
 */
public final class PeriodAggregation {
    private static final TypeInformation<long[]> LONGS = PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO;

    private PeriodAggregation() {}

    /** The values of one metric family and anything its windows found too late (normally nothing). */
    public record Result(DataStream<MetricRecord> values, DataStream<DeadLetter> tooLate) {}

    /** Partials per key, ready for any number of periods. */
    public static <P extends WindowPartial> KeyedStream<P, String> byKey(DataStream<P> partials) {
        return partials.keyBy(WindowPartial::key, TypeInformation.of(String.class));
    }

    public static Result aggregate(KeyedStream<PartialSums, String> keyed, Period period,
                                   WindowValues values, Stream stream, String operatorName, TimePolicy time) {
        return aggregate(keyed, period, new SumPartials(), LONGS, TypeInformation.of(PartialSums.class), values,
                stream, operatorName, time);
    }

    /**
     * The same for any kind of partial: the function adds partials into an accumulator and gives the window's
     * sums, which the values turn into records.
     */
    public static <P extends WindowPartial, A> Result aggregate(
            KeyedStream<P, String> keyed, Period period, AggregateFunction<P, A, long[]> sums,
            TypeInformation<A> accumulatorType, TypeInformation<P> partialType, WindowValues values, Stream stream,
            String operatorName, TimePolicy time) {
        OutputTag<P> lateTag = new OutputTag<>(operatorName + "-late", partialType);
        SingleOutputStreamOperator<MetricRecord> windowed = keyed
                .window(new PeriodWindows(period, time.businessTime()))
                .trigger(RunningUpdateTrigger.every(time.updateInterval()))
                .allowedLateness(time.allowedLateness())
                .sideOutputLateData(lateTag)
                .aggregate(sums, new EmitMetricRecords(period, values, time.businessTime()),
                        accumulatorType, LONGS, TypeInformation.of(MetricRecord.class))
                .uid(operatorName).name(operatorName);
        // ingestion admits nothing this late; should anything arrive, it is counted, not lost
        DataStream<DeadLetter> tooLate = windowed.getSideOutput(lateTag)
                .map(p -> new DeadLetter(stream, DeadLetterReason.TOO_LATE,
                        "window of " + operatorName + " already closed", Json.write(p),
                        time.businessTime().format(p.windowStart())))
                .uid(operatorName + "-late").name(operatorName + "-late");
        return new Result(windowed, tooLate);
    }
}
