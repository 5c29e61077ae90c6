package dev.pulse.export;

import static dev.pulse.export.TestRecords.channel;
import static dev.pulse.export.TestRecords.channelCurrency;
import static dev.pulse.export.TestRecords.channelPlatform;
import static dev.pulse.export.TestRecords.deadLetter;
import static dev.pulse.export.TestRecords.metric;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.model.DeadLetterReason;
import dev.pulse.model.Stream;
import dev.pulse.testing.Exposition;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The state holder and collector through the text exposition Prometheus scrapes: records go in as the jobs write
 * them, exact lines come out.
 */
@Timeout(30)
class ExporterScrapeTest {
    private static final String METRICS = "pulse.metrics";
    private static final String LIVE = "pulse.metrics.live";
    private static final String DEAD = "pulse.dead-letters";
    /** 10:00 in Shanghai, the start of the first window in these tests. */
    private static final Instant W1 = Instant.parse("2026-11-11T02:00:00Z");
    private static final Instant W2 = W1.plusSeconds(60);
    private static final Instant W3 = W2.plusSeconds(60);
    private static final Duration STALE_AFTER = Duration.ofMinutes(5);
    private static final String PV_ORGANIC_APP = "ecom_page_views_last_minute{channel=\"organic\",platform=\"app\"}";
    private static final String PV_NOW_ORGANIC_APP =
            "ecom_page_views_current_minute{channel=\"organic\",platform=\"app\"}";

    private final TestClock clock = new TestClock(W2.plusSeconds(12));
    private PrometheusRegistry registry;
    private RecordIngest ingest;

    @BeforeEach
    void setUp() {
        ExporterSettings settings = new ExporterSettings("127.0.0.1:1", METRICS, LIVE, DEAD,
                ExporterSettings.DEFAULT_GROUP_ID, "127.0.0.1", 0, STALE_AFTER, ExporterSettings.DEFAULT_MAX_SERIES, Map.of());
        registry = new PrometheusRegistry();
        EngineMetrics engine = new EngineMetrics(registry, List.of(METRICS, LIVE, DEAD));
        LatestValues values = new LatestValues(ExporterSettings.DEFAULT_MAX_SERIES);
        registry.register(new LatestValuesCollector(values, clock, STALE_AFTER));
        ingest = new RecordIngest(settings, values, engine, clock);
    }

    @Test
    void finalAndRunningValuesAreServedAsTheCatalogsGaugesWithItsHelp() {
        feed(METRICS, metric("page_views", channelPlatform("organic", "app"), W1, 42, true));
        feed(METRICS, metric("page_views", channelPlatform("search", "web"), W1, 3, true));
        feed(METRICS, metric("gmv", channelCurrency("organic", "CNY"), W1, 1999.90, true));
        feed(LIVE, metric("page_views", channelPlatform("organic", "app"), W2, 7, false));

        assertThat(scrapeLinesContaining("ecom_")).containsExactly(
                "# HELP ecom_gmv_last_minute Gross merchandise value: sum of paid amounts, in the currency label"
                        + " in the latest closed event-time minute (currency units)",
                "# TYPE ecom_gmv_last_minute gauge",
                "ecom_gmv_last_minute{channel=\"organic\",currency=\"CNY\"} 1999.9",
                "# HELP ecom_page_views_current_minute Page and product views (PV) so far in the event-time minute"
                        + " still open (views)",
                "# TYPE ecom_page_views_current_minute gauge",
                "ecom_page_views_current_minute{channel=\"organic\",platform=\"app\"} 7.0",
                "# HELP ecom_page_views_last_minute Page and product views (PV) in the latest closed event-time"
                        + " minute (views)",
                "# TYPE ecom_page_views_last_minute gauge",
                "ecom_page_views_last_minute{channel=\"organic\",platform=\"app\"} 42.0",
                "ecom_page_views_last_minute{channel=\"search\",platform=\"web\"} 3.0");
    }

    @Test
    void aNewerWindowReplacesTheShownFinalValueAnOlderOneDoesNot() {
        feed(METRICS, metric("orders_paid", channel("organic"), W2, 20, true));
        assertThat(samples()).containsEntry("ecom_orders_paid_last_minute{channel=\"organic\"}", "20.0");

        feed(METRICS, metric("orders_paid", channel("organic"), W1, 99, true));
        assertThat(samples()).containsEntry("ecom_orders_paid_last_minute{channel=\"organic\"}", "20.0");

        feed(METRICS, metric("orders_paid", channel("organic"), W3, 31, true));
        assertThat(samples()).containsEntry("ecom_orders_paid_last_minute{channel=\"organic\"}", "31.0");
    }

    @Test
    void aLateCorrectionOfTheShownWindowReplacesItsValue() {
        feed(METRICS, metric("page_views", channelPlatform("organic", "app"), W1, 42, true));
        feed(METRICS, metric("page_views", channelPlatform("organic", "app"), W1, 45, true));

        assertThat(samples()).containsEntry(PV_ORGANIC_APP, "45.0");
    }

    @Test
    void theFinalValueOfAWindowEndsTheRunningValueOfThatWindowAndOlderOnes() {
        feed(LIVE, metric("page_views", channelPlatform("organic", "app"), W1, 5, false));
        assertThat(samples()).containsEntry(PV_NOW_ORGANIC_APP, "5.0");

        feed(METRICS, metric("page_views", channelPlatform("organic", "app"), W1, 9, true));
        assertThat(samples()).containsEntry(PV_ORGANIC_APP, "9.0").doesNotContainKey(PV_NOW_ORGANIC_APP);

        // the live topic is at-least-once: a straggling update for the closed window must not bring it back
        feed(LIVE, metric("page_views", channelPlatform("organic", "app"), W1, 8, false));
        assertThat(samples()).doesNotContainKey(PV_NOW_ORGANIC_APP);

        feed(LIVE, metric("page_views", channelPlatform("organic", "app"), W3, 3, false));
        feed(LIVE, metric("page_views", channelPlatform("organic", "app"), W2, 60, false));
        assertThat(samples()).containsEntry(PV_NOW_ORGANIC_APP, "3.0");

        // W2 closes while W3 runs: the running value of the newer window stays
        feed(METRICS, metric("page_views", channelPlatform("organic", "app"), W2, 61, true));
        assertThat(samples()).containsEntry(PV_ORGANIC_APP, "61.0").containsEntry(PV_NOW_ORGANIC_APP, "3.0");

        feed(LIVE, metric("page_views", channelPlatform("organic", "app"), W3, 4, false));
        assertThat(samples()).containsEntry(PV_NOW_ORGANIC_APP, "4.0");
    }

    @Test
    void aSeriesNotUpdatedForStaleAfterIsDroppedButCountersStay() {
        feed(METRICS, metric("page_views", channelPlatform("organic", "app"), W1, 42, true));
        feed(LIVE, metric("page_views", channelPlatform("organic", "app"), W2, 7, false));
        feed(DEAD, deadLetter(Stream.CLICK, DeadLetterReason.MALFORMED_JSON));
        clock.advance(Duration.ofMinutes(2));
        feed(METRICS, metric("orders_created", channel("organic"), W1, 4, true));

        clock.advance(STALE_AFTER.minusMinutes(2).minusMillis(1));
        assertThat(samples()).containsEntry(PV_ORGANIC_APP, "42.0").containsEntry(PV_NOW_ORGANIC_APP, "7.0");

        clock.advance(Duration.ofMillis(1));
        Map<String, String> samples = samples();
        assertThat(samples).doesNotContainKeys(PV_ORGANIC_APP, PV_NOW_ORGANIC_APP)
                .containsEntry("ecom_orders_created_last_minute{channel=\"organic\"}", "4.0")
                .containsEntry("pulse_dead_letters_total{reason=\"malformed_json\",stream=\"click\"}", "1.0")
                .containsEntry("pulse_exporter_records_total{topic=\"pulse.metrics\"}", "2.0")
                .containsEntry("pulse_last_final_window_end_seconds{metric=\"page_views\"}",
                        String.valueOf((double) W2.getEpochSecond()));
        assertThat(scrapeLinesContaining("ecom_page_views")).isEmpty();

        // a fresh value brings the series back
        feed(METRICS, metric("page_views", channelPlatform("organic", "app"), W2, 50, true));
        assertThat(samples()).containsEntry(PV_ORGANIC_APP, "50.0");
    }

    @Test
    void recordsThatDoNotFitTheCatalogAreCountedPerTopicAndSkipped() {
        String windows = window("2026-11-11T10:00:00+08:00", "2026-11-11T10:01:00+08:00");
        String organic = "\"labels\":{\"channel\":\"organic\"},";
        List<String> invalidFinals = List.of(
                "not json",
                "[1,2]",
                "{\"name\":\"bounce_rate\"," + organic + windows + ",\"value\":1,\"final\":true}",
                "{\"name\":\"orders_paid\",\"labels\":{\"channel\":\"organic\",\"user_id\":\"u1\"},"
                        + windows + ",\"value\":1,\"final\":true}",
                "{\"name\":\"page_views\"," + organic + windows + ",\"value\":1,\"final\":true}",
                "{\"name\":\"orders_paid\",\"labels\":{\"channel\":\"\"}," + windows + ",\"value\":1,\"final\":true}",
                "{\"name\":\"orders_paid\",\"labels\":{\"channel\":7}," + windows + ",\"value\":1,\"final\":true}",
                "{\"name\":\"orders_paid\"," + organic + windows + ",\"value\":1}",
                "{\"name\":\"orders_paid\"," + organic + windows + ",\"value\":\"1\",\"final\":true}",
                "{\"name\":\"orders_paid\"," + organic + window("2026-11-11T10:00:00", "2026-11-11T10:01:00")
                        + ",\"value\":1,\"final\":true}",
                "{\"name\":\"orders_paid\"," + organic
                        + window("2026-11-11T10:01:00+08:00", "2026-11-11T10:00:00+08:00")
                        + ",\"value\":1,\"final\":true}",
                // a running update on the final-values topic
                metric("orders_paid", channel("organic"), W1, 1, false));
        List<String> invalidLive = List.of(
                // a final value on the live topic would bypass read_committed
                metric("orders_paid", channel("organic"), W1, 1, true),
                "{}");
        List<String> invalidDeadLetters = List.of(
                "{\"stream\":\"click\",\"reason\":\"cosmic_ray\",\"detail\":\"\",\"raw\":\"\"}",
                "{\"stream\":\"payments\",\"reason\":\"too_late\",\"detail\":\"\",\"raw\":\"\"}",
                "{\"stream\":\"click\",\"detail\":\"\",\"raw\":\"\"}",
                "{oops");

        invalidFinals.forEach(json -> feed(METRICS, json));
        invalidLive.forEach(json -> feed(LIVE, json));
        invalidDeadLetters.forEach(json -> feed(DEAD, json));
        ingest.accept(METRICS, null, clock.millis(), false);
        feed(METRICS, metric("orders_paid", channel("organic"), W1, 5, true));

        Map<String, String> samples = samples();
        assertThat(samples)
                .containsEntry("pulse_exporter_invalid_records_total{topic=\"pulse.metrics\"}",
                        (invalidFinals.size() + 1) + ".0")
                .containsEntry("pulse_exporter_invalid_records_total{topic=\"pulse.metrics.live\"}",
                        invalidLive.size() + ".0")
                .containsEntry("pulse_exporter_invalid_records_total{topic=\"pulse.dead-letters\"}",
                        invalidDeadLetters.size() + ".0")
                .containsEntry("pulse_exporter_records_total{topic=\"pulse.metrics\"}",
                        (invalidFinals.size() + 2) + ".0")
                .containsEntry("ecom_orders_paid_last_minute{channel=\"organic\"}", "5.0");
        assertThat(samples.keySet().stream().filter(k -> k.startsWith("ecom_"))).containsExactly(
                "ecom_orders_paid_last_minute{channel=\"organic\"}");
        assertThat(samples.entrySet().stream().filter(e -> e.getKey().startsWith("pulse_dead_letters_total"))
                .map(Map.Entry::getValue)).containsOnly("0.0");
    }

    @Test
    void deadLettersAreCountedByStreamAndReason() {
        feed(DEAD, deadLetter(Stream.CLICK, DeadLetterReason.MALFORMED_JSON));
        feed(DEAD, deadLetter(Stream.CLICK, DeadLetterReason.MALFORMED_JSON));
        feed(DEAD, deadLetter(Stream.ORDER, DeadLetterReason.TOO_LATE));

        List<String> lines = scrapeLinesContaining("pulse_dead_letters");
        assertThat(lines).startsWith(
                "# HELP pulse_dead_letters_total Input events that could not be counted, by stream and reason"
                        + " (dead-lettered)",
                "# TYPE pulse_dead_letters_total counter");
        // every stream and reason is served from the start, so rate() sees the first dead letter
        assertThat(lines).hasSize(2 + Stream.values().length * DeadLetterReason.values().length);
        Map<String, String> samples = samples();
        assertThat(samples)
                .containsEntry("pulse_dead_letters_total{reason=\"malformed_json\",stream=\"click\"}", "2.0")
                .containsEntry("pulse_dead_letters_total{reason=\"too_late\",stream=\"order\"}", "1.0")
                .containsEntry("pulse_dead_letters_total{reason=\"too_late\",stream=\"click\"}", "0.0")
                .containsEntry("pulse_dead_letters_total{reason=\"missing_field\",stream=\"ad\"}", "0.0")
                .containsEntry("pulse_exporter_records_total{topic=\"pulse.dead-letters\"}", "3.0")
                .containsEntry("pulse_exporter_invalid_records_total{topic=\"pulse.dead-letters\"}", "0.0");
    }

    @Test
    void resultDelayIsObservedForNewWindowsOnlyAndTheLastWindowEndNeverMovesBack() {
        // clock at W2 + 12 s: the final of W1 (ending at W2) arrives 12 s after its window closed
        feed(METRICS, metric("page_views", channelPlatform("organic", "app"), W1, 42, true));
        // a correction of the same window and an older window: no new observation
        clock.advance(Duration.ofSeconds(100));
        feed(METRICS, metric("page_views", channelPlatform("organic", "app"), W1, 43, true));
        feed(METRICS, metric("page_views", channelPlatform("organic", "app"), W1.minusSeconds(60), 1, true));
        // a record read back at start says nothing about today's delay
        ingest.accept(METRICS, metric("gmv", channelCurrency("organic", "CNY"), W2, 10, true).getBytes(UTF_8),
                clock.millis(), true);

        Map<String, String> samples = samples();
        assertThat(samples)
                .containsEntry("pulse_result_delay_seconds_bucket{metric=\"page_views\",le=\"10.0\"}", "0")
                .containsEntry("pulse_result_delay_seconds_bucket{metric=\"page_views\",le=\"15.0\"}", "1")
                .containsEntry("pulse_result_delay_seconds_bucket{metric=\"page_views\",le=\"+Inf\"}", "1")
                .containsEntry("pulse_result_delay_seconds_count{metric=\"page_views\"}", "1")
                .containsEntry("pulse_result_delay_seconds_sum{metric=\"page_views\"}", "12.0")
                .containsEntry("pulse_result_delay_seconds_count{metric=\"gmv\"}", "0")
                .containsEntry("pulse_result_delay_seconds_count{metric=\"orders_paid\"}", "0")
                .containsEntry("pulse_last_final_window_end_seconds{metric=\"page_views\"}",
                        String.valueOf((double) W2.getEpochSecond()))
                .containsEntry("pulse_last_final_window_end_seconds{metric=\"gmv\"}",
                        String.valueOf((double) W3.getEpochSecond()))
                .doesNotContainKey("pulse_last_final_window_end_seconds{metric=\"orders_paid\"}");
        assertThat(scrapeLinesContaining("# HELP pulse_result_delay_seconds")).containsExactly(
                "# HELP pulse_result_delay_seconds Freshness: wall-clock time from a window's end to its final value"
                        + " reaching the exporter");
    }

    private static String window(String start, String end) {
        return "\"window_start\":\"" + start + "\",\"window_end\":\"" + end + "\"";
    }

    private void feed(String topic, String json) {
        ingest.accept(topic, json.getBytes(UTF_8), clock.millis(), false);
    }

    private String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toString(UTF_8);
    }

    private List<String> scrapeLinesContaining(String text) {
        return scrape().lines().filter(line -> line.contains(text)).toList();
    }

    private Map<String, String> samples() {
        return Exposition.samples(scrape());
    }
}
