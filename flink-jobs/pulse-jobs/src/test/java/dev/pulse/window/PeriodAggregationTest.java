package dev.pulse.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.model.MetricRecord;
import dev.pulse.model.Stream;
import dev.pulse.time.BusinessTime;
import dev.pulse.time.Period;
import dev.pulse.time.TimePolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The window operator as the families build it, fed partial sums: running values, the final value, late
 * corrections and what is too late, per minute and per business day (across midnight and daylight saving).
 */
@Timeout(60)
class PeriodAggregationTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Instant MIDNIGHT = Instant.parse("2026-11-10T16:00:00Z"); // 2026-11-11 00:00 in Shanghai
    private static final Duration LATENESS = Duration.ofMinutes(2);

    @SuppressWarnings("unchecked")
    private static KeyedOneInputStreamOperatorTestHarness<String, PartialSums, MetricRecord> harness(
            Period period, ZoneId zone) throws Exception {
        TimePolicy time = new TimePolicy(new BusinessTime(zone), LATENESS, Duration.ofSeconds(5));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        var partials = env.fromData(new PartialSums("organic", 0, new long[] {0}));
        var windowed = (SingleOutputStreamOperator<MetricRecord>) PeriodAggregation.aggregate(
                PeriodAggregation.byKey(partials), period,
                (key, sums, out) -> out.value("orders_paid", Map.of("channel", key), sums[0]),
                Stream.ORDER, "test-windows", time).values();
        var transformation = (OneInputTransformation<PartialSums, MetricRecord>) windowed.getTransformation();
        return new KeyedOneInputStreamOperatorTestHarness<>(transformation.getOperatorFactory(),
                (KeySelector<PartialSums, String>) transformation.getStateKeySelector(),
                (TypeInformation<String>) transformation.getStateKeyType());
    }

    /** A partial sum as the pre-aggregation sends it: stamped with the start of its minute. */
    private static void partial(KeyedOneInputStreamOperatorTestHarness<String, PartialSums, MetricRecord> h,
                                String channel, Instant at, long sum) throws Exception {
        long minute = Period.MINUTE.start(at.toEpochMilli(), SHANGHAI);
        h.processElement(new PartialSums(channel, minute, new long[] {sum}), minute);
    }

    private static MetricRecord value(Period period, String channel, String start, String end, double value,
                                      boolean isFinal) {
        return new MetricRecord("orders_paid", period, Map.of("channel", channel), start, end, value, isFinal);
    }

    private static List<MetricRecord> values(KeyedOneInputStreamOperatorTestHarness<String, PartialSums, MetricRecord> h) {
        List<MetricRecord> out = h.extractOutputValues();
        h.getOutput().clear();
        return out;
    }

    @Test
    void minutesSendRunningValuesThenTheFinalThenCorrectionsAndSideOutputWhatIsTooLate() throws Exception {
        String start = "2026-11-11T00:00:00+08:00";
        String end = "2026-11-11T00:01:00+08:00";
        try (var h = harness(Period.MINUTE, SHANGHAI)) {
            h.open();
            h.setProcessingTime(1_000);
            partial(h, "organic", MIDNIGHT.plusSeconds(10), 2);
            partial(h, "search", MIDNIGHT.plusSeconds(12), 1);
            h.setProcessingTime(5_000); // the aligned update timer
            assertThat(values(h)).containsExactlyInAnyOrder(value(Period.MINUTE, "organic", start, end, 2, false),
                    value(Period.MINUTE, "search", start, end, 1, false));

            h.setProcessingTime(10_000); // nothing new: no update
            assertThat(values(h)).isEmpty();

            partial(h, "organic", MIDNIGHT.plusSeconds(20), 1);
            h.processWatermark(MIDNIGHT.plusSeconds(60).toEpochMilli() - 1);
            assertThat(values(h)).containsExactlyInAnyOrder(value(Period.MINUTE, "organic", start, end, 3, true),
                    value(Period.MINUTE, "search", start, end, 1, true));

            h.setProcessingTime(15_000); // a final window is not sent again as running
            assertThat(values(h)).isEmpty();

            h.processWatermark(MIDNIGHT.plusSeconds(150).toEpochMilli());
            partial(h, "organic", MIDNIGHT.plusSeconds(30), 1); // late, within the lateness: corrected at once
            assertThat(values(h)).containsExactly(value(Period.MINUTE, "organic", start, end, 4, true));

            h.processWatermark(MIDNIGHT.plusSeconds(180).toEpochMilli());
            partial(h, "organic", MIDNIGHT.plusSeconds(40), 1); // past the lateness: side output, no value
            assertThat(values(h)).isEmpty();
            assertThat(h.getSideOutput(new OutputTag<>("test-windows-late", TypeInformation.of(PartialSums.class))))
                    .extracting(r -> ((StreamRecord<PartialSums>) r).getValue().sums[0]).containsExactly(1L);
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void aDayRunsFromLocalMidnightToLocalMidnightAndIsFinalWhenItCloses() throws Exception {
        Instant lastMillisecond = MIDNIGHT.plus(Duration.ofDays(1)).minusMillis(1); // 23:59:59.999
        Instant nextMidnight = MIDNIGHT.plus(Duration.ofDays(1));
        try (var h = harness(Period.DAY, SHANGHAI)) {
            h.open();
            h.setProcessingTime(1_000);
            partial(h, "organic", MIDNIGHT, 5);
            partial(h, "organic", lastMillisecond, 2);
            partial(h, "organic", nextMidnight, 7);
            h.setProcessingTime(5_000);
            assertThat(values(h)).containsExactlyInAnyOrder(
                    value(Period.DAY, "organic", "2026-11-11T00:00:00+08:00", "2026-11-12T00:00:00+08:00", 7, false),
                    value(Period.DAY, "organic", "2026-11-12T00:00:00+08:00", "2026-11-13T00:00:00+08:00", 7, false));

            h.processWatermark(nextMidnight.toEpochMilli() - 1);
            assertThat(values(h)).containsExactly(
                    value(Period.DAY, "organic", "2026-11-11T00:00:00+08:00", "2026-11-12T00:00:00+08:00", 7, true));
        }
    }

    @Test
    void aLateEventAcrossMidnightCorrectsYesterdayWithinTheLatenessAndIsTooLateBeyondIt() throws Exception {
        Instant nextMidnight = MIDNIGHT.plus(Duration.ofDays(1));
        String start = "2026-11-11T00:00:00+08:00";
        String end = "2026-11-12T00:00:00+08:00";
        try (var h = harness(Period.DAY, SHANGHAI)) {
            h.open();
            partial(h, "organic", MIDNIGHT.plusSeconds(3_600), 5);
            h.processWatermark(nextMidnight.plusSeconds(60).toEpochMilli()); // 00:01 the next day
            assertThat(values(h)).containsExactly(value(Period.DAY, "organic", start, end, 5, true));

            partial(h, "organic", nextMidnight.minusSeconds(10), 1); // 23:59:50, 70 s late
            assertThat(values(h)).containsExactly(value(Period.DAY, "organic", start, end, 6, true));

            h.processWatermark(nextMidnight.plus(LATENESS).toEpochMilli()); // yesterday is final for good
            assertThat(h.numKeyedStateEntries()).as("the day's state is cleared after its lateness").isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            partial(h, "organic", nextMidnight.minusSeconds(5), 1);
            assertThat(values(h)).isEmpty();
            assertThat(h.getSideOutput(new OutputTag<>("test-windows-late", TypeInformation.of(PartialSums.class))))
                    .hasSize(1);
        }
    }

    @Test
    void daysInATimeZoneWithDaylightSavingLast23And25Hours() throws Exception {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        try (var h = harness(Period.DAY, berlin)) {
            h.open();
            partial(h, "organic", Instant.parse("2026-03-29T12:00:00Z"), 1);
            partial(h, "organic", Instant.parse("2026-10-25T12:00:00Z"), 2);
            h.processWatermark(Instant.parse("2026-11-01T00:00:00Z").toEpochMilli());
            assertThat(values(h)).containsExactlyInAnyOrder(
                    value(Period.DAY, "organic", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", 1, true),
                    value(Period.DAY, "organic", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", 2, true));
        }
    }
}
