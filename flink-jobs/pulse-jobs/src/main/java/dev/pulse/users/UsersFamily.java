package dev.pulse.users;

import static dev.pulse.window.WindowValues.sum;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.ingestion.VisitorKeys;
import dev.pulse.model.ClickDimensions;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.MetricRecord;
import dev.pulse.model.Stream;
import dev.pulse.pipeline.MetricFamily;
import dev.pulse.time.Period;
import dev.pulse.time.TimePolicy;
import dev.pulse.window.PartialSums;
import dev.pulse.window.PeriodAggregation;
import dev.pulse.window.SketchPartial;
import dev.pulse.window.SketchUnion;
import dev.pulse.window.Tally;
import dev.pulse.window.WindowValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Users and traffic: UV per minute (by channel and platform, and in total); per business day DAU (by platform, and
 * in total), MAU over the {@value VisitorActivity#MAU_DAYS} business days ending that day, stickiness (DAU / MAU),
 * new users, D1 and D7 retention, the share of DAU by channel; sessions, bounce rate and average session length
 * per day of the sessions' end. All exact. The admitted clicks are already partitioned by visitor, so the one
 * per-visitor operator ({@link VisitorActivity}) reads them where they are; what it sends on are tallies, which are
 * added up before the shuffle to the metric's few keys like any other count.
 *
 * <p>Sketch mode ({@code pulse.users.sketch}): UV per minute and MAU (with stickiness) can instead be counted by
 * HyperLogLog sketches made before the shuffle ({@link VisitorSketches}), unioned per minute window and, for MAU,
 * over the 30 daily sketches ({@link RollingMauSketch}); the per-visitor operator then keeps less.
 */
public final class UsersFamily implements MetricFamily {
    /** The catalog's session: one visitor's events with gaps under this. */
    static final Duration SESSION_GAP = Duration.ofMinutes(30);

    private final boolean sketchUv;
    private final boolean sketchMau;
    private final int lgK;

    /** Everything exact. */
    public UsersFamily() {
        this(Set.of(), 12);
    }

    /** @param sketched the metrics counted by sketches ("uv", "mau"), each a sketch of 2^lgK registers */
    public UsersFamily(Set<String> sketched, int lgK) {
        this.sketchUv = sketched.contains("uv");
        this.sketchMau = sketched.contains("mau");
        this.lgK = lgK;
    }

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
                .process(new VisitorActivity(time.allowedLateness(), SESSION_GAP, !sketchUv, !sketchMau,
                                time.businessTime()), TypeInformation.of(Tally.class))
                .uid("visitor-activity").name("visitor-activity");
        // sketch mode: made once for UV and MAU alike
        DataStream<SketchPartial> sketches = sketchUv || sketchMau
                ? visitors.transform("visitor-sketches", TypeInformation.of(SketchPartial.class),
                        new VisitorSketches(sketchUv, sketchMau, lgK, time.businessTime())).uid("visitor-sketches")
                : null;
        List<DataStream<MetricRecord>> values = new ArrayList<>();
        List<DataStream<DeadLetter>> tooLate = new ArrayList<>();
        PeriodAggregation.Result perMinute = sketchUv
                ? PeriodAggregation.aggregate(PeriodAggregation.byKey(sketches
                                .filter(p -> !p.key.equals(VisitorSketches.MAU)).name("uv-sketches")
                                .uid("uv-sketches")), Period.MINUTE, new SketchUnion(lgK),
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO, TypeInformation.of(SketchPartial.class),
                        UsersFamily::minuteValues, Stream.CLICK, "uv-sketch-per-minute", time)
                : PeriodAggregation.aggregate(partials(minuteTallies, Period.MINUTE, "users-minute-partial", time),
                        Period.MINUTE, UsersFamily::minuteValues, Stream.CLICK, "users-per-minute", time);
        PeriodAggregation.Result perDay = PeriodAggregation.aggregate(
                partials(minuteTallies.getSideOutput(VisitorActivity.DAY_TALLIES), Period.DAY, "users-day-partial",
                        time), Period.DAY, sketchMau ? UsersFamily::dayValuesButMau : UsersFamily::dayValues,
                Stream.CLICK, "users-per-day", time);
        // a session is known a gap (and the lateness) after its last event: its day waits that much longer
        TimePolicy sessionTime = time.withLateness(
                time.allowedLateness().plus(SESSION_GAP).plus(Duration.ofMinutes(1)));
        PeriodAggregation.Result sessions = PeriodAggregation.aggregate(
                partials(minuteTallies.getSideOutput(VisitorActivity.SESSION_TALLIES), Period.DAY,
                        "sessions-day-partial", time), Period.DAY, UsersFamily::sessionValues, Stream.CLICK,
                "sessions-per-day", sessionTime);
        for (PeriodAggregation.Result r : List.of(perMinute, perDay, sessions)) {
            values.add(r.values());
            tooLate.add(r.tooLate());
        }
        if (sketchMau) {
            values.add(PeriodAggregation.byKey(sketches
                            .filter(p -> p.key.equals(VisitorSketches.MAU)).name("mau-sketches").uid("mau-sketches"))
                    .process(new RollingMauSketch(lgK, time.allowedLateness(), time.updateInterval(),
                            time.businessTime()), TypeInformation.of(MetricRecord.class))
                    .uid("mau-per-day").name("mau-per-day"));
        }
        return new Output(values, tooLate);
    }

    private static KeyedStream<PartialSums, String> partials(DataStream<Tally> tallies, Period period, String name,
                                                             TimePolicy time) {
        return PeriodAggregation.byKey(Tally.preAggregate(tallies, period, name, time));
    }

    private static void minuteValues(String key, long[] sums, WindowValues.ValueSink out) {
        String[] parts = key.split(Pattern.quote(UserSums.SEPARATOR));
        if (parts[0].equals(UserSums.UV)) {
            out.value(MetricDefinition.UV.recordName(), Map.of("channel", parts[1], "platform", parts[2]), sums[0]);
        } else {
            out.value(MetricDefinition.UV_TOTAL.recordName(), Map.of(), sums[0]);
        }
    }

    /** Nothing for a day no visitor was active on (its MAU and cohorts were sent ahead, it may never come). */
    private static void dayValues(String key, long[] sums, WindowValues.ValueSink out) {
        long dau = sum(sums, UserSums.DAU_TOTAL);
        if (dau > 0) {
            long mau = sum(sums, UserSums.MAU);
            out.value(MetricDefinition.MAU.recordName(), Map.of(), mau);
            out.value(MetricDefinition.STICKINESS.recordName(), Map.of(), (double) dau / mau);
        }
        dayValuesButMau(key, sums, out);
    }

    private static void dayValuesButMau(String key, long[] sums, WindowValues.ValueSink out) {
        long dau = sum(sums, UserSums.DAU_TOTAL);
        if (dau == 0) {
            return;
        }
        out.value(MetricDefinition.DAU_TOTAL.recordName(), Map.of(), dau);
        out.value(MetricDefinition.NEW_USERS.recordName(), Map.of(), sum(sums, UserSums.NEW_USERS));
        ratio(out, MetricDefinition.RETENTION_D1, sum(sums, UserSums.RETAINED_D1), sum(sums, UserSums.COHORT_D1));
        ratio(out, MetricDefinition.RETENTION_D7, sum(sums, UserSums.RETAINED_D7), sum(sums, UserSums.COHORT_D7));
        for (int p = 0; p < ClickDimensions.PLATFORMS.size(); p++) {
            long platformDau = sum(sums, UserSums.dau(p));
            if (platformDau > 0) {
                out.value(MetricDefinition.DAU.recordName(), Map.of("platform", ClickDimensions.PLATFORMS.get(p)),
                        platformDau);
            }
        }
        for (int c = 0; c < ClickDimensions.CHANNELS.size(); c++) {
            long channelVisitors = sum(sums, UserSums.uvOfChannel(c));
            if (channelVisitors > 0) {
                out.value(MetricDefinition.UV_SHARE.recordName(), Map.of("channel", ClickDimensions.CHANNELS.get(c)),
                        (double) channelVisitors / dau);
            }
        }
    }

    private static void sessionValues(String key, long[] sums, WindowValues.ValueSink out) {
        long sessions = sum(sums, UserSums.SESSION_COUNT);
        if (sessions == 0) {
            return;
        }
        out.value(MetricDefinition.SESSIONS.recordName(), Map.of(), sessions);
        out.value(MetricDefinition.BOUNCE_RATE.recordName(), Map.of(), (double) sum(sums, UserSums.BOUNCES) / sessions);
        out.value(MetricDefinition.SESSION_LENGTH.recordName(), Map.of(),
                sum(sums, UserSums.SESSION_MILLIS) / 1000.0 / sessions);
    }

    /** Reported once its cohort is known: not on a day no one registered the day (or week) before. */
    private static void ratio(WindowValues.ValueSink out, MetricDefinition metric, long part, long whole) {
        if (whole > 0) {
            out.value(metric.recordName(), Map.of(), (double) part / whole);
        }
    }
}
