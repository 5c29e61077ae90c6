package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.model.MetricRecord;
import dev.pulse.time.Period;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A window's final values wait for the watermark to pass the window and then leave together; what comes after
 * (a late correction) leaves at once; nothing stays in state.
 */
@Timeout(60)
class FinalValueSetsTest {
    private static final String START = "2026-11-11T00:00:00+08:00";
    private static final String END = "2026-11-11T00:01:00+08:00";
    /** The window's last millisecond: the timestamp the windows give its records. */
    private static final long LAST_MS = OffsetDateTime.parse(END).toInstant().toEpochMilli() - 1;

    private static MetricRecord value(String name, String channel, double value) {
        return new MetricRecord(name, Period.MINUTE, Map.of("channel", channel), START, END, value, true);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricRecord, MetricRecord> harness()
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(new FinalValueSets(),
                FinalValueSets::setKey, TypeInformation.of(String.class));
    }

    private static List<MetricRecord> taken(KeyedOneInputStreamOperatorTestHarness<String, MetricRecord,
            MetricRecord> h) {
        List<MetricRecord> out = h.extractOutputValues();
        h.getOutput().clear();
        return out;
    }

    @Test
    void aWindowsValuesLeaveTogetherOnceTheWatermarkPassesItAndLaterOnesAtOnce() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processWatermark(LAST_MS - 60_000);
            // the parts of one minute's set, as window subtasks upstream send them, one after the other
            h.processElement(value("orders_paid", "organic", 3), LAST_MS);
            h.processElement(value("gmv", "organic", 120.5), LAST_MS);
            h.processWatermark(LAST_MS - 1);
            assertThat(taken(h)).as("before the watermark reaches the window's end").isEmpty();
            h.processElement(value("orders_paid", "search", 1), LAST_MS);
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);

            h.processWatermark(LAST_MS);
            assertThat(taken(h)).containsExactly(value("orders_paid", "organic", 3), value("gmv", "organic", 120.5),
                    value("orders_paid", "search", 1));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();

            // a late correction of the closed window: a set of its own
            h.processElement(value("orders_paid", "organic", 4), LAST_MS);
            assertThat(taken(h)).containsExactly(value("orders_paid", "organic", 4));
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void aCorrectionNeverOvertakesTheFinalValueItCorrects() throws Exception {
        try (var h = harness()) {
            h.open();
            // one window subtask upstream is at the window's end, another is 30 s behind: the final value waits
            h.processWatermark(LAST_MS - 30_000);
            h.processElement(value("orders_paid", "organic", 3), LAST_MS);
            // a correction of that value stamped earlier than the watermark (whatever stamps it so)
            h.processElement(value("orders_paid", "organic", 4), LAST_MS - 40_000);
            assertThat(taken(h)).isEmpty();

            h.processWatermark(LAST_MS);
            assertThat(taken(h)).containsExactly(value("orders_paid", "organic", 3), value("orders_paid", "organic", 4));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
