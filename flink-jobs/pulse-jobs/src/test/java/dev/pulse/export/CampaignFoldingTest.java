package dev.pulse.export;

import static dev.pulse.export.TestRecords.metric;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.catalog.MetricDefinition;
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
 * Campaigns and creatives beyond the top N by spend today are served as {@code other}: sums add up, ratios of
 * {@code other} are recomputed from its sums, a campaign quiet in the newest minute is not in that minute's sum,
 * and the ranking follows today's spend.
 */
@Timeout(30)
class CampaignFoldingTest {
    private static final String METRICS = "pulse.metrics";
    private static final String LIVE = "pulse.metrics.live";
    private static final Instant W1 = Instant.parse("2026-11-11T02:00:00Z");
    private static final Instant W2 = W1.plusSeconds(60);

    private final TestClock clock = new TestClock(W2.plusSeconds(70));
    private PrometheusRegistry registry;
    private RecordIngest ingest;

    @BeforeEach
    void setUp() {
        ExporterSettings settings = new ExporterSettings("127.0.0.1:1", METRICS, LIVE, "dead",
                ExporterSettings.DEFAULT_GROUP_ID, "127.0.0.1", 0, Duration.ofMinutes(5), 100, Map.of()).withTopCampaigns(2);
        registry = new PrometheusRegistry();
        LatestValues values = new LatestValues(settings.maxStoredSeries());
        registry.register(new LatestValuesCollector(values, clock, settings.staleAfter(), settings.topCampaigns(),
                settings.maxSeries()));
        ingest = new RecordIngest(settings, values, new EngineMetrics(registry, List.of(METRICS, LIVE, "dead")),
                clock);
    }

    /** One combination's impressions, clicks and spend in minute W and today (running), as the ads family sends. */
    private void combination(String campaign, String creative, Instant minute, long impressions, long clicks,
                             double spend) {
        Map<String, String> labels = Map.of("campaign", campaign, "creative", creative, "placement", "feed");
        Map<String, String> money = Map.of("campaign", campaign, "creative", creative, "placement", "feed",
                "currency", "CNY");
        feed(METRICS, metric(MetricDefinition.AD_IMPRESSIONS, labels, minute, impressions, true));
        feed(METRICS, metric(MetricDefinition.AD_CLICKS, labels, minute, clicks, true));
        feed(METRICS, metric(MetricDefinition.AD_SPEND, money, minute, spend, true));
        feed(LIVE, metric(MetricDefinition.AD_SPEND_DAY, money, minute, spend, false));
        feed(LIVE, metric(MetricDefinition.AD_CLICKS_DAY, labels, minute, clicks, false));
        feed(LIVE, metric(MetricDefinition.AD_IMPRESSIONS_DAY, labels, minute, impressions, false));
        feed(METRICS, metric(MetricDefinition.AD_CTR, Map.of("campaign", campaign), minute,
                (double) clicks / impressions, true));
        feed(LIVE, metric(MetricDefinition.AD_CTR_DAY, Map.of("campaign", campaign), minute,
                (double) clicks / impressions, false));
        feed(LIVE, metric(MetricDefinition.AD_CPC_DAY, Map.of("campaign", campaign, "currency", "CNY"), minute,
                spend / clicks, false));
    }

    @Test
    void campaignsAndCreativesBeyondTheTopAreServedAsOtherAndSumsStillAddUp() {
        combination("big", "cr-big", W2, 1000, 50, 40.0);
        combination("mid", "cr-mid", W2, 500, 20, 30.0);
        combination("small", "cr-small", W2, 200, 10, 5.0);
        combination("tiny", "cr-tiny", W2, 100, 1, 1.0);
        combination("quiet", "cr-quiet", W1, 300, 30, 2.0); // nothing in W2

        Map<String, String> s = samples();
        assertThat(s).containsEntry("ecom_ad_spend_today{campaign=\"big\",creative=\"cr-big\",currency=\"CNY\","
                        + "placement=\"feed\"}", "40.0")
                .containsEntry("ecom_ad_spend_today{campaign=\"mid\",creative=\"cr-mid\",currency=\"CNY\","
                        + "placement=\"feed\"}", "30.0")
                // small, tiny and quiet, all of today
                .containsEntry("ecom_ad_spend_today{campaign=\"other\",creative=\"other\",currency=\"CNY\","
                        + "placement=\"feed\"}", "8.0")
                // the newest minute of the folded ones: small and tiny (quiet's minute is older)
                .containsEntry("ecom_ad_clicks_last_minute{campaign=\"other\",creative=\"other\",placement=\"feed\"}",
                        "11.0")
                .containsEntry("ecom_ad_ctr_ratio_last_minute{campaign=\"big\"}", "0.05")
                .containsEntry("ecom_ad_ctr_ratio_last_minute{campaign=\"other\"}", String.valueOf(11.0 / 300))
                .containsEntry("ecom_ad_ctr_ratio_today{campaign=\"other\"}", String.valueOf(41.0 / 600))
                .containsEntry("ecom_ad_cpc_today{campaign=\"other\",currency=\"CNY\"}", String.valueOf(8.0 / 41));
        assertThat(s.keySet()).noneMatch(k -> k.contains("small") || k.contains("tiny") || k.contains("quiet"));

        // tiny outspends everyone today: it takes mid's place
        feed(LIVE, metric(MetricDefinition.AD_SPEND_DAY, Map.of("campaign", "tiny", "creative", "cr-tiny",
                "placement", "feed", "currency", "CNY"), W2, 100.0, false));
        s = samples();
        assertThat(s).containsKey("ecom_ad_ctr_ratio_last_minute{campaign=\"tiny\"}")
                .containsEntry("ecom_ad_spend_today{campaign=\"other\",creative=\"other\",currency=\"CNY\","
                        + "placement=\"feed\"}", "37.0");
        assertThat(s.keySet()).noneMatch(k -> k.contains("\"mid\""));
    }

    @Test
    void aCampaignInTheTopWithACreativeOutsideItKeepsItsNameAndFoldsTheCreative() {
        combination("big", "cr-1", W2, 1000, 50, 40.0);
        combination("big", "cr-2", W2, 1000, 40, 30.0);
        combination("big", "cr-3", W2, 1000, 10, 2.0);
        Map<String, String> s = samples();
        assertThat(s).containsEntry("ecom_ad_clicks_last_minute{campaign=\"big\",creative=\"other\",placement="
                + "\"feed\"}", "10.0");
        // the campaign's own ratio is the engine's, untouched
        assertThat(s).containsEntry("ecom_ad_ctr_ratio_last_minute{campaign=\"big\"}", String.valueOf(10.0 / 1000));
    }

    @Test
    void aCampaignWithoutSpendTodayKeepsItsNameWhenThereIsRoomAndARealOtherJoinsTheFolded() throws Exception {
        combination("big", "cr-big", W2, 1000, 50, 40.0);
        feed(LIVE, metric(MetricDefinition.AD_CONVERSIONS_DAY, Map.of("campaign", "yesterdays"), W2, 3, false));
        assertThat(samples()).containsEntry("ecom_ad_conversions_today{campaign=\"yesterdays\"}", "3.0");

        combination("mid", "cr-mid", W2, 500, 20, 30.0);
        combination("other", "cr-x", W2, 100, 2, 1.0); // a campaign really named "other"
        Map<String, String> s = samples();
        assertThat(s).containsEntry("ecom_ad_conversions_today{campaign=\"other\"}", "3.0")
                .containsEntry("ecom_ad_spend_today{campaign=\"other\",creative=\"other\",currency=\"CNY\","
                        + "placement=\"feed\"}", "1.0");
    }

    private void feed(String topic, String json) {
        ingest.accept(topic, json.getBytes(UTF_8), clock.millis(), false);
    }

    private Map<String, String> samples() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return Exposition.samples(out.toString(UTF_8));
    }
}
