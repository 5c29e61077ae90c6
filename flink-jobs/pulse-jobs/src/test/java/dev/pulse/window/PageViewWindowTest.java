package dev.pulse.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.config.PulseSettings;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.MetricRecord;
import dev.pulse.testing.Events;
import dev.pulse.traffic.PageViewsPerMinute;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The PV window operator as the job builds it: running updates, final values, late corrections, too late. */
@Timeout(60)
class PageViewWindowTest {
    private static final Instant MIDNIGHT = Instant.parse("2026-11-10T16:00:00Z"); // 00:00 in Shanghai
    private static final String START = "2026-11-11T00:00:00+08:00";
    private static final String END = "2026-11-11T00:01:00+08:00";

    @SuppressWarnings("unchecked")
    private static KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, MetricRecord> harness() throws Exception {
        PulseSettings settings = PulseSettings.from(Map.of(
                "pulse.updates.interval", "5 s", "pulse.lateness.allowed", "2 min"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        var clicks = env.fromData(Events.pageView("x", MIDNIGHT, "organic", "app"));
        var windowed = (SingleOutputStreamOperator<MetricRecord>) PageViewsPerMinute.compute(clicks, settings).values;
        var transformation = (OneInputTransformation<ClickEvent, MetricRecord>) windowed.getTransformation();
        return new KeyedOneInputStreamOperatorTestHarness<>(transformation.getOperatorFactory(),
                (org.apache.flink.api.java.functions.KeySelector<ClickEvent, String>) transformation.getStateKeySelector(),
                (TypeInformation<String>) transformation.getStateKeyType());
    }

    private static void view(KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, MetricRecord> h,
                             String id, int second, String channel, String platform) throws Exception {
        Instant t = MIDNIGHT.plusSeconds(second);
        h.processElement(Events.pageView(id, t, channel, platform), t.toEpochMilli());
    }

    private static MetricRecord pv(String channel, String platform, double value, boolean isFinal) {
        return new MetricRecord("page_views", Map.of("channel", channel, "platform", platform), START, END,
                value, isFinal);
    }

    @Test
    void sendsRunningUpdatesThenTheFinalValueThenCorrectionsAndCountsWhatIsTooLate() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(1_000);
            view(h, "1", 10, "organic", "app");
            view(h, "2", 11, "organic", "app");
            view(h, "3", 12, "search", "web");
            h.setProcessingTime(5_000); // the aligned update timer
            assertThat(values(h)).containsExactlyInAnyOrder(pv("organic", "app", 2, false), pv("search", "web", 1, false));
            h.getOutput().clear();

            h.setProcessingTime(10_000); // nothing new: no update
            assertThat(values(h)).isEmpty();

            view(h, "4", 20, "organic", "app");
            h.processWatermark(MIDNIGHT.plusSeconds(60).toEpochMilli() - 1);
            assertThat(values(h)).containsExactlyInAnyOrder(pv("organic", "app", 3, true), pv("search", "web", 1, true));
            h.getOutput().clear();

            h.setProcessingTime(15_000); // the update timer of event 4 must not resend a final window as running
            assertThat(values(h)).isEmpty();

            h.processWatermark(MIDNIGHT.plusSeconds(150).toEpochMilli());
            view(h, "5", 30, "organic", "app"); // late, within the 2 min allowed lateness: corrected at once
            assertThat(values(h)).containsExactly(pv("organic", "app", 4, true));
            h.getOutput().clear();

            h.processWatermark(MIDNIGHT.plusSeconds(180).toEpochMilli());
            view(h, "6", 40, "organic", "app"); // past the allowed lateness: side output, no value
            assertThat(values(h)).isEmpty();
            var late = h.getSideOutput(new OutputTag<>("page-views-per-minute-late", TypeInformation.of(ClickEvent.class)));
            assertThat(late.stream().map(r -> ((StreamRecord<ClickEvent>) r).getValue().eventId))
                    .containsExactly("6");
        }
    }

    @Test
    void keepsNoWindowStateAfterTheAllowedLateness() throws Exception {
        try (var h = harness()) {
            h.open();
            view(h, "1", 10, "organic", "app");
            assertThat(h.numKeyedStateEntries()).isGreaterThan(0);
            h.processWatermark(MIDNIGHT.plus(Duration.ofMinutes(3)).toEpochMilli());
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    private static List<MetricRecord> values(KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, MetricRecord> h) {
        return h.extractOutputValues().stream().collect(Collectors.toList());
    }
}
