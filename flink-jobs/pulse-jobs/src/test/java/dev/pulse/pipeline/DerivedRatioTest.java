package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.model.MetricRecord;
import dev.pulse.time.Period;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Visit-to-order conversion from the two families' records: nothing until both are known, running while either
 * is, final once both are, again on a correction, and the window's state gone after the lateness.
 */
@Timeout(60)
class DerivedRatioTest {
    private static final Duration LATENESS = Duration.ofMinutes(2);
    private static final String START = "2026-11-11T00:00:00+08:00";
    private static final String END = "2026-11-12T00:00:00+08:00";
    /** The day's last millisecond, the timestamp its window's records carry. */
    private static final long DAY_END = OffsetDateTime.parse(END).toInstant().toEpochMilli() - 1;

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricRecord, MetricRecord> harness()
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new DerivedRatio(
                MetricDefinition.PAYING_USERS, MetricDefinition.DAU_TOTAL, MetricDefinition.VISIT_TO_ORDER,
                LATENESS)), (MetricRecord m) -> m.windowStart, Types.STRING);
        h.open();
        return h;
    }

    private static void record(KeyedOneInputStreamOperatorTestHarness<String, MetricRecord, MetricRecord> h,
                               MetricDefinition metric, double value, boolean isFinal) throws Exception {
        h.processElement(new MetricRecord(metric.recordName(), Period.DAY, Map.of(), START, END, value, isFinal),
                DAY_END);
    }

    private static List<String> ratios(KeyedOneInputStreamOperatorTestHarness<String, MetricRecord, MetricRecord> h) {
        return h.extractOutputValues().stream()
                .peek(m -> assertThat(m.name).isEqualTo("visit_to_order"))
                .map(m -> m.value + (m.isFinal ? " final" : " running")).collect(Collectors.toList());
    }

    @Test
    void aRatioIsRunningUntilBothAreFinalAndSentAgainOnACorrection() throws Exception {
        var h = harness();
        record(h, MetricDefinition.DAU_TOTAL, 200, false);
        assertThat(ratios(h)).isEmpty(); // no paying users known yet
        record(h, MetricDefinition.PAYING_USERS, 10, false);
        record(h, MetricDefinition.DAU_TOTAL, 250, true);
        record(h, MetricDefinition.PAYING_USERS, 12, true);
        record(h, MetricDefinition.PAYING_USERS, 13, true); // a late order within the lateness
        assertThat(ratios(h)).containsExactly("0.05 running", "0.04 running", "0.048 final", "0.052 final");
    }

    @Test
    void theWindowIsForgottenOnceTheLatenessHasPassed() throws Exception {
        var h = harness();
        record(h, MetricDefinition.DAU_TOTAL, 200, true);
        record(h, MetricDefinition.PAYING_USERS, 10, true);
        h.processWatermark(new Watermark(DAY_END + LATENESS.toMillis()));
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        h.processWatermark(new Watermark(DAY_END + LATENESS.toMillis() + 1));
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }
}
