package dev.pulse.window;

import dev.pulse.config.PulseSettings;
import dev.pulse.json.Json;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.DeadLetterReason;
import dev.pulse.model.InputEvent;
import dev.pulse.model.MetricRecord;
import dev.pulse.model.Stream;
import dev.pulse.time.BusinessTime;
import java.time.Duration;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/** Per-minute event-time windows with running updates, allowed lateness and counted late events. */
public final class MinuteWindows {
    private MinuteWindows() {}

    /** The values of one metric family and the events its windows found too late (normally none). */
    public static final class Result {
        public final DataStream<MetricRecord> values;
        public final DataStream<DeadLetter> tooLate;

        Result(DataStream<MetricRecord> values, DataStream<DeadLetter> tooLate) {
            this.values = values;
            this.tooLate = tooLate;
        }
    }

    public static <T extends InputEvent, A> Result aggregate(
            KeyedStream<T, String> keyed, Stream stream, String operatorName,
            AggregateFunction<T, A, A> aggregate, WindowValues<A> values, PulseSettings settings) {
        OutputTag<T> lateTag = new OutputTag<>(operatorName + "-late", keyed.getType());
        BusinessTime businessTime = new BusinessTime(settings.timeZone);
        SingleOutputStreamOperator<MetricRecord> windowed = keyed
                .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                .trigger(RunningUpdateTrigger.every(settings.updateInterval))
                .allowedLateness(settings.allowedLateness)
                .sideOutputLateData(lateTag)
                .aggregate(aggregate, new EmitMetricRecords<>(values, businessTime))
                .uid(operatorName).name(operatorName);
        // the late filter in ingestion should leave nothing here; if anything arrives it is counted, not lost
        DataStream<DeadLetter> tooLate = windowed.getSideOutput(lateTag)
                .map(e -> new DeadLetter(stream, DeadLetterReason.TOO_LATE,
                        "window of " + operatorName + " already closed", Json.write(e),
                        businessTime.format(e.eventTime().toEpochMilli())))
                .uid(operatorName + "-late").name(operatorName + "-late");
        return new Result(windowed, tooLate);
    }
}
