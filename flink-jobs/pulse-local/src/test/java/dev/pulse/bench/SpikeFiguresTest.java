package dev.pulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.local.PrometheusText;
import dev.pulse.model.Stream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The spike and recovery modes' arithmetic: consumer lag, the lag table, the count check, stamping event times. */
@Timeout(30)
class SpikeFiguresTest {

    @Test
    void lagIsEndOffsetsMinusTheOffsetAfterTheLastEmittedRecord() {
        Map<String, Long> ends = Map.of("clicks/0", 100L, "clicks/1", 50L, "orders/0", 0L);
        assertThat(ConsumerLag.of(ends, Map.of("clicks/0", 89L, "clicks/1", 49L))).isEqualTo(10);
        assertThat(ConsumerLag.read(Map.of("clicks/0", 89L, "clicks/1", 49L))).isEqualTo(140);
    }

    @Test
    void lagIsUnknownWhileAPartitionWithRecordsHasNoPosition() {
        Map<String, Long> ends = Map.of("clicks/0", 100L, "clicks/1", 50L);
        assertThat(ConsumerLag.of(ends, Map.of("clicks/0", 99L))).isEqualTo(-1);
        // after a restart the new source reports -1 until its first record
        assertThat(ConsumerLag.of(ends, Map.of("clicks/0", 99L, "clicks/1", -1L))).isEqualTo(-1);
        // an empty partition needs no position
        assertThat(ConsumerLag.of(Map.of("clicks/0", 100L, "ads/0", 0L), Map.of("clicks/0", 99L))).isZero();
    }

    @Test
    void freshnessIsTheNewestFinalMinuteOfAnyMinuteMetric() {
        PrometheusText metrics = PrometheusText.parse("""
                pulse_last_final_window_end_seconds{metric="page_views"} 1000
                pulse_last_final_window_end_seconds{metric="orders"} 1060
                pulse_last_final_window_end_seconds{metric="gmv_day"} 5000
                """);
        assertThat(LagSampler.newestMinuteEnd(metrics, null)).isEqualTo(1060);
        assertThat(LagSampler.newestMinuteEnd(metrics, "page_views")).isEqualTo(1000);
        assertThat(LagSampler.newestMinuteEnd(PrometheusText.parse(""), null)).isNaN();
    }

    @Test
    void rowsEveryTenSecondsWithRatesSinceTheRowBefore() {
        List<LagSampler.Sample> samples = new java.util.ArrayList<>();
        for (int s = 0; s <= 30; s++) {
            long lag = s < 10 ? 0 : s <= 20 ? (s - 10) * 100L : Math.max(0, 1000 - (s - 20) * 200L);
            samples.add(new LagSampler.Sample(s * 1000L, s * 500L, s * 500L, s * 500L - lag, lag, lag, lag, 0, 5, 5));
        }
        List<SpikeReport.Row> rows = SpikeReport.rows(samples, 0, 10_000, 20_000, 25_000);
        assertThat(rows).extracting(SpikeReport.Row::second).containsExactly(0L, 10L, 20L, 30L);
        assertThat(rows).extracting(SpikeReport.Row::phase).containsExactly("warm-up", "spike", "spike", "after");
        assertThat(rows.get(1).writtenPerSecond()).isEqualTo(500);
        assertThat(rows.get(2).readPerSecond()).isEqualTo(400);
        assertThat(SpikeReport.peakLag(samples)).isEqualTo(new SpikeReport.Peak(1000, 20_000));
        assertThat(SpikeReport.rateBetween(samples, 10_000, 20_000)).isEqualTo(500);
    }

    @Test
    void pageViewsMatchWhenEveryClosedWindowsFinalEqualsWhatWasWritten() {
        long a = SeriesWindows.key(0, 60_000);
        long b = SeriesWindows.key(1, 60_000);
        long open = SeriesWindows.key(0, 180_000);
        AppendLog log = new AppendLog();
        for (long key : new long[] {a, a, b, open}) {
            log.add(key, 0);
        }
        Sightings finals = new Sightings();
        finals.add(a, 1, 1);
        finals.add(a, 2, 2); // a later final replaces the first
        finals.add(b, 1, 1);
        assertThat(SpikeBench.checkPageViews(log, finals, 120_000))
                .isEqualTo(new SpikeBench.PageViewCheck(2, 3, 3, 0, 0));
        Sightings short1 = new Sightings();
        short1.add(a, 1, 1);
        SpikeBench.PageViewCheck check = SpikeBench.checkPageViews(log, short1, 120_000);
        assertThat(check.exact()).isFalse();
        assertThat(check.mismatched()).isEqualTo(1);
        assertThat(check.missing()).isEqualTo(1);
    }

    @Test
    void stampingReplacesOnlyTheEventTime() {
        String json = "{\"event_id\":\"c-1\",\"event_time\":\"2026-11-10T16:00:00Z\",\"page\":\"/home\"}";
        int at = json.indexOf("2026");
        SpikeEvents.Event e = new SpikeEvents.Event(Stream.CLICK, 0, new byte[0],
                json.getBytes(StandardCharsets.UTF_8), at, "2026-11-10T16:00:00Z".length());
        String stamped = new String(SpikeEvents.stamp(e, Instant.parse("2026-12-07T06:01:02.003Z").toEpochMilli()),
                StandardCharsets.UTF_8);
        assertThat(stamped).isEqualTo(
                "{\"event_id\":\"c-1\",\"event_time\":\"2026-12-07T06:01:02.003Z\",\"page\":\"/home\"}");
    }

    @Test
    void recoveryReportsEachKillAndTheMedianAgainstTheTarget() {
        List<RecoveryBench.Kill> kills = List.of(
                new RecoveryBench.Kill(0, 1_500, 2_000, 4_000, 9_000, 7, 100 << 20, 40_000),
                new RecoveryBench.Kill(0, 1_400, 2_000, 5_000, 12_500, 9, 100 << 20, 50_000),
                new RecoveryBench.Kill(0, 1_600, 2_000, 4_500, 11_000, 11, 100 << 20, 45_000));
        RecoveryBench.Plan plan = new RecoveryBench.Plan(1_000_000, 5000, 3, 2, 2, "512m", java.nio.file.Path.of("."),
                Map.of());
        RecoveryBench.Outcome outcome = new RecoveryBench.Outcome(1_000_000, 40.0, 120 << 20, 998_000, kills,
                dev.pulse.config.PulseSettings.from(Map.of()), Map.of());
        String markdown = new RecoveryReport("./pulse bench --mode recovery", plan, outcome, "abc").markdown();
        assertThat(markdown).contains("| 2    | 9                   | 100.0 MiB      | 1.4")
                .contains("median **11.0 s** (target at most 10 s: **missed by 1.0 s**)")
                .contains("estimated 998,000 keys");
    }
}
