package dev.pulse.users;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.ingestion.VisitorKeys;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.Stream;
import dev.pulse.pipeline.MetricFamily;
import dev.pulse.time.Period;
import dev.pulse.time.TimePolicy;
import dev.pulse.window.PartialSums;
import dev.pulse.window.PeriodAggregation;
import dev.pulse.window.PreAggregate;
import dev.pulse.window.WindowValues;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Users: UV per minute (by channel and platform, and in total), DAU per business day (by platform, and in total)
 * and new users per business day, exact. The admitted clicks are already partitioned by visitor, so the one
 * per-visitor operator ({@link VisitorActivity}) reads them where they are; what it sends on are tallies, which
 * are added up before the shuffle to the metric's few keys like any other count.
 */
public final class UsersFamily implements MetricFamily {

    @Override
    public String name() {
        return "users";
    }

    @Override
    public Set<Stream> inputs() {
        return Set.of(Stream.CLICK);
    }

    @Override
    public Period smallestPeriod() {
        return Period.MINUTE;
    }

    @Override
    public Output build(Admitted admitted, TimePolicy time) {
        KeyedStream<ClickEvent, String> visitors = DataStreamUtils.reinterpretAsKeyedStream(admitted.clicks(),
                VisitorKeys.<ClickEvent>selector(Stream.CLICK), TypeInformation.of(String.class));
        SingleOutputStreamOperator<Tally> minuteTallies = visitors
                .process(new VisitorActivity(time.allowedLateness(), time.businessTime()),
                        TypeInformation.of(Tally.class))
                .uid("visitor-activity").name("visitor-activity");
        PeriodAggregation.Result perMinute = PeriodAggregation.aggregate(
                partials(minuteTallies, Period.MINUTE, "users-minute-partial", time), Period.MINUTE, 1,
                UsersFamily::minuteValues, Stream.CLICK, "users-per-minute", time);
        PeriodAggregation.Result perDay = PeriodAggregation.aggregate(
                partials(minuteTallies.getSideOutput(VisitorActivity.DAY_TALLIES), Period.DAY, "users-day-partial",
                        time), Period.DAY, 1, UsersFamily::dayValues, Stream.CLICK, "users-per-day", time);
        return new Output(List.of(perMinute.values(), perDay.values()),
                List.of(perMinute.tooLate(), perDay.tooLate()));
    }

    private static KeyedStream<PartialSums, String> partials(DataStream<Tally> tallies, Period period, String name,
                                                             TimePolicy time) {
        return PeriodAggregation.byKey(tallies.transform(name, TypeInformation.of(PartialSums.class),
                        new PreAggregate<Tally>((t, to) -> to.add(t.key, t.value), 1, period, time.businessTime()))
                .uid(name));
    }

    private static void minuteValues(String key, long[] sums, WindowValues.ValueSink out) {
        String[] parts = key.split(Pattern.quote(VisitorActivity.SEPARATOR));
        if (parts[0].equals(VisitorActivity.UV)) {
            out.value(MetricDefinition.UV.recordName(), Map.of("channel", parts[1], "platform", parts[2]), sums[0]);
        } else {
            out.value(MetricDefinition.UV_TOTAL.recordName(), Map.of(), sums[0]);
        }
    }

    private static void dayValues(String key, long[] sums, WindowValues.ValueSink out) {
        String[] parts = key.split(Pattern.quote(VisitorActivity.SEPARATOR));
        switch (parts[0]) {
            case VisitorActivity.DAU -> out.value(MetricDefinition.DAU.recordName(), Map.of("platform", parts[1]),
                    sums[0]);
            case VisitorActivity.DAU_TOTAL -> out.value(MetricDefinition.DAU_TOTAL.recordName(), Map.of(), sums[0]);
            default -> out.value(MetricDefinition.NEW_USERS.recordName(), Map.of(), sums[0]);
        }
    }
}
