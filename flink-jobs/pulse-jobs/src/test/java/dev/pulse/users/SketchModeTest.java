package dev.pulse.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pulse.model.ClickEvent;
import dev.pulse.model.MetricRecord;
import dev.pulse.testing.Events;
import dev.pulse.time.BusinessTime;
import dev.pulse.window.SketchPartial;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sketch mode's MAU: daily HyperLogLog sketches made in two subtasks, unioned over the 30 days ending each day.
 * The error against the exact count is measured on 1.2 million visitors (lg-k 12: a relative standard error of
 * about 1.6 %), and the window's edges hold.
 */
@Timeout(120)
class SketchModeTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final BusinessTime TIME = new BusinessTime(SHANGHAI);
    private static final LocalDate DAY_0 = LocalDate.of(2026, 11, 1);
    private static final Duration LATENESS = Duration.ofMinutes(2);
    private static final int LG_K = 12;

    /** Makes sketches of the visitors of each click, as the operator of one subtask would. */
    private static OneInputStreamOperatorTestHarness<ClickEvent, SketchPartial> sketches() throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new VisitorSketches(false, true, LG_K, TIME));
        h.open();
        return h;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SketchPartial, MetricRecord> mau() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new RollingMauSketch(LG_K, LATENESS, Duration.ZERO, TIME)),
                p -> p.key, Types.STRING);
        h.open();
        return h;
    }

    private static Instant day(int n) {
        return DAY_0.plusDays(n).atStartOfDay(SHANGHAI).toInstant();
    }

    private static void visit(OneInputStreamOperatorTestHarness<ClickEvent, SketchPartial> h, long visitor, Instant at)
            throws Exception {
        ClickEvent e = Events.click("e" + visitor + at, at, "page_view", "organic", "app");
        e.userId = "u" + visitor;
        h.processElement(e, at.toEpochMilli());
    }

    /** Moves the sketches of every subtask on to the MAU operator, then the watermark. */
    private static void forward(List<OneInputStreamOperatorTestHarness<ClickEvent, SketchPartial>> subtasks,
                                KeyedOneInputStreamOperatorTestHarness<String, SketchPartial, MetricRecord> mau,
                                long watermark) throws Exception {
        for (var subtask : subtasks) {
            subtask.processWatermark(watermark);
            for (Object o : subtask.getOutput()) {
                if (o instanceof StreamRecord<?> r) {
                    mau.processElement((SketchPartial) r.getValue(), r.getTimestamp());
                }
            }
            subtask.getOutput().clear();
        }
        mau.processWatermark(watermark);
    }

    /** name@local date -> value, final values only. */
    private static Map<String, Double> finals(KeyedOneInputStreamOperatorTestHarness<String, SketchPartial, MetricRecord> h) {
        Map<String, Double> values = new TreeMap<>();
        for (MetricRecord m : h.extractOutputValues()) {
            if (m.isFinal) {
                values.put(m.name + "@" + m.windowStart.substring(0, 10), m.value);
            }
        }
        return values;
    }

    @Test
    void theMauOfOneAndAHalfMillionVisitsByOnePointTwoMillionVisitorsIsWithinThreeStandardErrors() throws Exception {
        var subtasks = List.of(sketches(), sketches());
        try (var mau = mau()) {
            int newPerDay = 40_000;
            for (int d = 0; d < 30; d++) {
                Instant at = day(d).plusSeconds(3600);
                for (long v = (long) d * newPerDay; v < (long) (d + 1) * newPerDay; v++) {
                    visit(subtasks.get((int) (v % 2)), v, at);
                }
                // half of yesterday's newcomers come back
                for (long v = (long) (d - 1) * newPerDay; d > 0 && v < (long) (d - 1) * newPerDay + newPerDay / 2; v++) {
                    visit(subtasks.get((int) (v % 2)), v, at.plusSeconds(60));
                }
                forward(subtasks, mau, day(d + 1).plus(LATENESS).toEpochMilli());
            }
            Map<String, Double> values = finals(mau);
            double exactMau = 30.0 * newPerDay;
            double mauError = values.get("mau@" + DAY_0.plusDays(29)) / exactMau - 1;
            double rse = 1.04 / Math.sqrt(1 << LG_K);
            System.out.printf("sketch mode, lg-k %d: MAU of 1,200,000 estimated with a relative error of %+.4f "
                    + "(relative standard error %.4f)%n", LG_K, mauError, rse);
            assertThat(Math.abs(mauError)).isLessThan(3 * rse);
            for (int d = 1; d < 30; d++) {
                double exact = (d + 1.0) * newPerDay;
                assertThat(values.get("mau@" + DAY_0.plusDays(d))).as("MAU of day %d", d)
                        .isCloseTo(exact, within(exact * 3 * rse));
                double stickiness = (newPerDay * 1.5) / exact;
                assertThat(values.get("stickiness@" + DAY_0.plusDays(d))).as("stickiness of day %d", d)
                        .isCloseTo(stickiness, within(stickiness * 6 * rse));
            }
        }
        for (var subtask : subtasks) {
            subtask.close();
        }
    }

    @Test
    void aVisitorActiveOnDayZeroCountsInTheMauOfDay29AndNotOfDay30AndEveryDaysSketchGoesAfterItsLastMau() throws Exception {
        var subtasks = List.of(sketches(), sketches());
        try (var mau = mau()) {
            for (long v = 0; v < 50; v++) {
                visit(subtasks.get((int) (v % 2)), v, day(0).plusSeconds(v));
            }
            forward(subtasks, mau, day(1).plus(LATENESS).toEpochMilli());
            visit(subtasks.get(0), 1_000, day(29).plusSeconds(5));
            forward(subtasks, mau, day(30).plus(LATENESS).toEpochMilli());
            visit(subtasks.get(1), 1_001, day(30).plusSeconds(5));
            forward(subtasks, mau, day(31).plus(LATENESS).toEpochMilli());
            Map<String, Double> values = finals(mau);
            assertThat(values).containsEntry("mau@" + DAY_0, 50.0).containsEntry("mau@" + DAY_0.plusDays(29), 51.0)
                    .containsEntry("mau@" + DAY_0.plusDays(30), 2.0) // day 0 is no longer among the 30
                    .containsEntry("stickiness@" + DAY_0.plusDays(30), 0.5)
                    .doesNotContainKey("mau@" + DAY_0.plusDays(1)); // nobody was active on day 1
            assertThat(mau.numKeyedStateEntries()).isPositive();
            mau.processWatermark(day(60).plus(LATENESS).toEpochMilli()); // day 30's last MAU (day 59) is closed
            assertThat(mau.numKeyedStateEntries()).isZero();
            assertThat(mau.numEventTimeTimers()).isZero();
        }
        for (var subtask : subtasks) {
            subtask.close();
        }
    }

    @Test
    void aLatePartialWithinTheLatenessCorrectsTheFinalValue() throws Exception {
        var subtasks = List.of(sketches(), sketches());
        try (var mau = mau()) {
            visit(subtasks.get(0), 1, day(0).plusSeconds(5));
            forward(subtasks, mau, day(1).toEpochMilli()); // day 0 final: 1
            visit(subtasks.get(1), 2, day(1).minusSeconds(5)); // late, within the lateness
            forward(subtasks, mau, day(1).plusSeconds(30).toEpochMilli());
            List<Double> day0 = new ArrayList<>();
            for (MetricRecord m : mau.extractOutputValues()) {
                if (m.name.equals("mau") && m.windowStart.startsWith(DAY_0.toString())) {
                    assertThat(m.isFinal).isTrue();
                    day0.add(m.value);
                }
            }
            assertThat(day0).containsExactly(1.0, 2.0);
        }
        for (var subtask : subtasks) {
            subtask.close();
        }
    }
}
