package dev.pulse.export;

import static dev.pulse.export.TestRecords.channel;
import static dev.pulse.export.TestRecords.channelCurrency;
import static dev.pulse.export.TestRecords.metric;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.catalog.MetricDefinition;
import dev.pulse.risk.RiskRule;
import dev.pulse.risk.Severity;
import dev.pulse.testing.Exposition;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /api/war-room} over real HTTP, without a browser: the exact values of the page from records fed as the
 * jobs write them, the minute history ring, the pace against the GMV target, and what the page's handler serves
 * and refuses.
 */
@Timeout(30)
class WarRoomApiTest {
    private static final String METRICS = "pulse.metrics";
    private static final String LIVE = "pulse.metrics.live";
    private static final String DEAD = "pulse.dead-letters";
    /** Noon in Shanghai: half of the business day has elapsed. */
    private static final Instant NOON = Instant.parse("2026-11-11T04:00:00Z");
    private static final double TARGET = 100_000;
    /** Numbers as the browser reads them (doubles), not as the product's mapper reads money (BigDecimal). */
    private static final ObjectMapper DOUBLES = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final TestClock clock = new TestClock(NOON);
    private final List<HTTPServer> servers = new ArrayList<>();
    private RecordIngest ingest;
    private WarRoomPage page;
    private int port;

    @AfterEach
    void stop() {
        servers.forEach(HTTPServer::close);
    }

    @Test
    void theNumbersAreTheScrapedGaugesSummedAsThePageShowsThem() throws Exception {
        start(OptionalDouble.of(TARGET));
        Instant minute = NOON.minusSeconds(120);
        feed(LIVE, metric(MetricDefinition.GMV_DAY, channelCurrency("organic", "CNY"), NOON, 30_000.5, false));
        feed(LIVE, metric(MetricDefinition.GMV_DAY, channelCurrency("search", "CNY"), NOON, 9_999.5, false));
        feed(LIVE, metric(MetricDefinition.GMV_DAY, channelCurrency("paid_ads", "USD"), NOON, 100.25, false));
        feed(LIVE, metric(MetricDefinition.ORDERS_PAID_DAY, channel("organic"), NOON, 150, false));
        feed(LIVE, metric(MetricDefinition.ORDERS_PAID_DAY, channel("search"), NOON, 50, false));
        feed(LIVE, metric(MetricDefinition.DAU_TOTAL, Map.of(), NOON, 5_000, false));
        feed(LIVE, metric(MetricDefinition.VISIT_TO_ORDER, Map.of(), NOON, 0.04, false));
        feed(LIVE, metric(MetricDefinition.PAYMENT_SUCCESS_DAY, Map.of(), NOON, 0.97, false));
        feed(LIVE, metric(MetricDefinition.RISK_ALERTS_DAY, alert(RiskRule.BURST, Severity.WARNING), NOON, 3, false));
        feed(LIVE, metric(MetricDefinition.RISK_ALERTS_DAY, alert(RiskRule.AMOUNT_OUTLIER, Severity.CRITICAL), NOON,
                1, false));
        feed(METRICS, metric(MetricDefinition.RISK_ALERTS, alert(RiskRule.BURST, Severity.WARNING), minute, 2, true));
        feed(METRICS, metric(MetricDefinition.ORDERS_PAID, channel("organic"), minute, 10, true));
        feed(METRICS, metric(MetricDefinition.ORDERS_PAID, channel("search"), minute, 4, true));
        feed(METRICS, metric(MetricDefinition.GMV, channelCurrency("organic", "CNY"), minute, 1_000.25, true));
        feed(METRICS, metric(MetricDefinition.GMV, channelCurrency("search", "CNY"), minute, 500, true));
        feed(METRICS, metric(MetricDefinition.GMV, channelCurrency("paid_ads", "USD"), minute, 7, true));

        JsonNode v = api();

        assertThat(v.get("updated_at").asText()).isEqualTo("2026-11-11T04:00:00Z");
        assertThat(v.get("time_zone").asText()).isEqualTo("Asia/Shanghai");
        assertThat(v.get("currency").asText()).isEqualTo("CNY");
        assertThat(v.get("has_data").asBoolean()).isTrue();
        assertThat(v.get("gmv_today").toString())
                .isEqualTo("[{\"currency\":\"CNY\",\"amount\":40000.0},{\"currency\":\"USD\",\"amount\":100.25}]");
        // linear pace at noon: 40,000 / (100,000 x 0.5); the USD sales are not in the target's currency
        assertThat(v.get("gmv_pace").toString())
                .isEqualTo("{\"target\":100000.0,\"day_elapsed\":0.5,\"pace\":0.8}");
        assertThat(v.get("orders_paid_today").asDouble()).isEqualTo(200);
        assertThat(v.get("dau_today").asDouble()).isEqualTo(5_000);
        assertThat(v.get("visit_to_order_today").asDouble()).isEqualTo(0.04);
        assertThat(v.get("payment_success_today").asDouble()).isEqualTo(0.97);
        // the catalog's colours, as on the dashboards: 4 % is in the normal 3-5 %, 97 % above the 95 % level
        assertThat(v.get("colors").toString())
                .isEqualTo("{\"payment_success_today\":\"green\",\"visit_to_order_today\":\"green\"}");
        assertThat(v.get("risk_alerts_today").toString()).isEqualTo(
                "[{\"rule\":\"amount_outlier\",\"severity\":\"critical\",\"count\":1.0},"
                        + "{\"rule\":\"burst\",\"severity\":\"warning\",\"count\":3.0}]");
        assertThat(v.get("risk_alerts_last_minute").toString())
                .isEqualTo("[{\"rule\":\"burst\",\"severity\":\"warning\",\"count\":2.0}]");
        String windowEnd = minute.plusSeconds(60).toString();
        assertThat(v.get("minutes").toString()).isEqualTo(
                "[{\"window_end\":\"" + windowEnd + "\",\"orders_paid\":14.0,\"gmv\":1500.25}]");

        // the same number on /metrics, for Grafana
        assertThat(Exposition.samples(Exposition.scrape(port))).containsEntry("pulse_gmv_target", "100000.0");
    }

    @Test
    void withoutDataEveryValueIsNullAndTheListsEmptyAndWithoutTargetThereIsNoPace() throws Exception {
        start(OptionalDouble.empty());

        JsonNode v = api();

        assertThat(v.get("has_data").asBoolean()).isFalse();
        assertThat(v.get("gmv_pace").isNull()).isTrue();
        for (String field : List.of("orders_paid_today", "dau_today", "visit_to_order_today",
                "payment_success_today")) {
            assertThat(v.get(field).isNull()).as(field).isTrue();
        }
        for (String field : List.of("gmv_today", "risk_alerts_today", "risk_alerts_last_minute", "minutes")) {
            assertThat(v.get(field).isEmpty()).as(field).isTrue();
        }
        assertThat(Exposition.samples(Exposition.scrape(port))).doesNotContainKey("pulse_gmv_target");
    }

    @Test
    void theHistoryKeepsTheLastSixtyClosedMinutesAndFreezesAMinuteOnceANewerOneClosed() throws Exception {
        start(OptionalDouble.empty());
        Instant first = NOON.minusSeconds(70 * 60);
        for (int i = 0; i < 65; i++) {
            Instant minute = first.plusSeconds(60L * i);
            feed(METRICS, metric(MetricDefinition.ORDERS_PAID, channel("organic"), minute, i, true));
            feed(METRICS, metric(MetricDefinition.GMV, channelCurrency("organic", "CNY"), minute, 10.5 * i, true));
            page.sampleHistory();
            if (i == 63) {
                // a late correction of the newest minute replaces its value
                feed(METRICS, metric(MetricDefinition.ORDERS_PAID, channel("organic"), minute, 630, true));
                page.sampleHistory();
            }
        }
        // channel search's first final is for an older minute than organic's newest: the window end does not
        // move back, and the sum of the gauge (both channels' newest) does not rewrite the frozen minute 63
        feed(METRICS, metric(MetricDefinition.ORDERS_PAID, channel("search"), first.plusSeconds(60L * 63), 1, true));

        JsonNode minutes = api().get("minutes");

        assertThat(minutes).hasSize(60);
        assertThat(minutes.get(0).get("window_end").asText()).isEqualTo(first.plusSeconds(60L * 6).toString());
        assertThat(minutes.get(0).get("orders_paid").asDouble()).isEqualTo(5);
        assertThat(minutes.get(58).get("orders_paid").asDouble()).isEqualTo(630);
        assertThat(minutes.get(59).get("window_end").asText()).isEqualTo(first.plusSeconds(60L * 65).toString());
        assertThat(minutes.get(59).get("orders_paid").asDouble()).isEqualTo(64 + 1);
        assertThat(minutes.get(59).get("gmv").asDouble()).isEqualTo(10.5 * 64);
    }

    @Test
    void servesThePageItsFilesAndTheChartLibraryFromTheClassPathAndNothingElse() throws Exception {
        start(OptionalDouble.empty());
        for (String path : List.of("/", "/war-room")) {
            HttpResponse<String> html = get(path);
            assertThat(html.statusCode()).isEqualTo(200);
            assertThat(html.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
            assertThat(html.body()).contains("<script src=\"/webjars/echarts/5.3.1/dist/echarts.min.js\">")
                    .contains("/war-room/war-room.js").contains("/war-room/war-room.css");
        }
        assertThat(get("/war-room/war-room.js").statusCode()).isEqualTo(200);
        assertThat(get("/war-room/war-room.css").headers().firstValue("Content-Type"))
                .contains("text/css; charset=utf-8");
        HttpResponse<byte[]> echarts = HTTP.send(request("/webjars/echarts/5.3.1/dist/echarts.min.js").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(echarts.statusCode()).isEqualTo(200);
        try (InputStream jar = getClass().getClassLoader()
                .getResourceAsStream("META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js")) {
            assertThat(echarts.body()).isEqualTo(jar.readAllBytes());
        }
        for (String path : List.of("/webjars/../dev/pulse/export/war-room/index.html",
                "/webjars/echarts//5.3.1/dist/echarts.min.js", "/webjars/echarts/5.3.1/dist/none.js",
                "/war-room/index.html", "/dev/pulse/export/WarRoomPage.class", "/favicon.ico")) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(404);
        }
        HttpResponse<String> post = HTTP.send(request("/api/war-room").POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(Exposition.scrape(port)).contains("pulse_exporter_records_total");
    }

    private void start(OptionalDouble target) throws IOException {
        ExporterSettings settings = new ExporterSettings("127.0.0.1:1", METRICS, LIVE, DEAD,
                ExporterSettings.DEFAULT_GROUP_ID, "127.0.0.1", 0, ExporterSettings.DEFAULT_STALE_AFTER,
                ExporterSettings.DEFAULT_MAX_SERIES, Map.of())
                .withGmvTarget(target.isPresent() ? target.getAsDouble() : null);
        // the exporter's wiring (MetricsExporter.start) without its Kafka consumer: records are fed directly
        PrometheusRegistry registry = new PrometheusRegistry();
        EngineMetrics engine = new EngineMetrics(registry, List.of(METRICS, LIVE, DEAD));
        LatestValues values = new LatestValues(settings.maxStoredSeries());
        registry.register(new LatestValuesCollector(values, clock, settings.staleAfter()));
        engine.serveGmvTarget(registry, settings.gmvTarget());
        ingest = new RecordIngest(settings, values, engine, clock);
        page = new WarRoomPage(registry, new MinuteHistory(settings.currency()), settings, clock);
        HTTPServer server = HTTPServer.builder().hostname("127.0.0.1").port(0).registry(registry)
                .defaultHandler(page).buildAndStart();
        servers.add(server);
        port = server.getPort();
    }

    private static Map<String, String> alert(RiskRule rule, Severity severity) {
        return Map.of("rule", rule.code(), "severity", severity.code());
    }

    private void feed(String topic, String json) {
        ingest.accept(topic, json.getBytes(UTF_8), clock.millis(), false);
    }

    private JsonNode api() throws Exception {
        HttpResponse<String> response = get("/api/war-room");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        return DOUBLES.readTree(response.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
    }
}
