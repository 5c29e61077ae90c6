package dev.pulse.export;

import static dev.pulse.testing.KafkaTestBroker.commit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.catalog.MetricDefinition;
import dev.pulse.model.DeadLetterReason;
import dev.pulse.model.Stream;
import dev.pulse.testing.Exposition;
import dev.pulse.testing.KafkaTestBroker;
import dev.pulse.testing.RepoFiles;
import dev.pulse.time.Period;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole read path with real servers: records on a KRaft broker, the exporter, a real Prometheus scraping it
 * every second, and then every panel query of every dashboard in dashboards/ evaluated by that Prometheus and
 * checked against values computed here from the records written: with the template variables at All, and again
 * with some campaigns picked (the panels by campaign show those only, the totals all); also what each template
 * variable lists.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DashboardPrometheusEndToEndTest {
    private static final String METRICS = "e2e.metrics";
    private static final String LIVE = "e2e.metrics.live";
    private static final String DEAD = "e2e.dead-letters";
    /** What Grafana would put in for $__rate_interval; every sample of this test lies within it. */
    private static final String RATE_INTERVAL = "1m";
    /** Finals are written this long after their window ended, so the delay lands in the (30 s, 45 s] bucket. */
    private static final int RESULT_DELAY_SECONDS = 33;
    /** The ads family's money label: the account's currency. */
    private static final String CURRENCY = "CNY";
    /** Campaigns picked in the campaign variable for the second pass over the panels. */
    private static final List<String> SELECTED_CAMPAIGNS = List.of("cmp-live-room", "cmp-search-brand", "other");

    @TempDir
    Path workDir;

    /** One value written to the results topics. */
    private record Value(String metric, Map<String, String> labels, double value) {}

    /** What the ads family counted for one campaign, creative and placement in a window. */
    private record AdCounts(String campaign, String creative, String placement, long impressions, long clicks,
                            double spend) {}

    /** What the attribution credited to one campaign on the day of payment. */
    private record Attributed(String campaign, long conversions, double gmv, long firstTimeBuyers) {}

    @Test
    void everyPanelQueryOfTheDashboardReturnsTheExpectedSeries() throws Exception {
        PrometheusServer.binary(); // fails with instructions before anything starts
        try (KafkaTestBroker broker = KafkaTestBroker.start()) {
            broker.createTopic(METRICS, 1);
            broker.createTopic(LIVE, 1);
            broker.createTopic(DEAD, 1);
            ExporterSettings settings = new ExporterSettings(broker.bootstrapServers(), METRICS, LIVE, DEAD,
                    "e2e-exporter", "127.0.0.1", 0, ExporterSettings.DEFAULT_STALE_AFTER,
                    ExporterSettings.DEFAULT_MAX_SERIES, Map.of());
            try (MetricsExporter exporter = MetricsExporter.start(settings);
                 Producer<String, String> sink = broker.transactionalProducer("e2e-sink");
                 Producer<String, String> live = broker.producer()) {
                // an invalid record as a probe: once it is counted the exporter owns its partitions, so what
                // follows is live traffic (not read-back) and feeds the result-delay histogram
                live.send(new ProducerRecord<>(LIVE, "{\"probe\":true}")).get();
                await().atMost(Duration.ofSeconds(60)).until(() -> "1.0".equals(
                        scrape(exporter).get("pulse_exporter_invalid_records_total{topic=\"" + LIVE + "\"}")));

                try (PrometheusServer prometheus = PrometheusServer.start(
                        List.of("127.0.0.1:" + exporter.port()), workDir)) {
                    // let Prometheus see the zeros first, so rate() and increase() see every event that follows
                    await().atMost(Duration.ofSeconds(60)).until(() -> prometheus.query(
                            "pulse_result_delay_seconds_count", Instant.now()).size()
                            == MetricDefinition.values().length);

                    runPipelineAndCheckPanels(prometheus, exporter, sink, live);
                }
            }
        }
    }

    @Test
    void theRepositorysPrometheusConfigsPassPromtool() throws Exception {
        for (String config : List.of("prometheus/prometheus.yml", "prometheus/prometheus-compose.yml")) {
            Process check = new ProcessBuilder(PrometheusServer.promtool().toString(), "check", "config",
                    RepoFiles.resolve(config).toString()).redirectErrorStream(true).start();
            try {
                String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(check.exitValue()).as("promtool check config %s:%n%s", config, output).isZero();
            } finally {
                check.destroyForcibly();
            }
        }
    }

    private void runPipelineAndCheckPanels(PrometheusServer prometheus, MetricsExporter exporter,
                                           Producer<String, String> sink, Producer<String, String> live)
            throws Exception {
        Instant windowEnd = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(RESULT_DELAY_SECONDS);
        Instant windowStart = windowEnd.minusSeconds(60);
        List<Value> finals = List.of(
                new Value("page_views", Map.of("channel", "organic", "platform", "app"), 120),
                new Value("page_views", Map.of("channel", "organic", "platform", "web"), 80),
                new Value("page_views", Map.of("channel", "paid_ads", "platform", "app"), 45),
                new Value("page_views", Map.of("channel", "search", "platform", "mini_program"), 10),
                new Value("orders_created", Map.of("channel", "organic"), 30),
                new Value("orders_created", Map.of("channel", "paid_ads"), 12),
                new Value("orders_paid", Map.of("channel", "organic"), 25),
                new Value("orders_paid", Map.of("channel", "paid_ads"), 9),
                new Value("gmv", Map.of("channel", "organic", "currency", "CNY"), 4999.5),
                new Value("gmv", Map.of("channel", "paid_ads", "currency", "CNY"), 1234.25),
                new Value("uv", Map.of("channel", "organic", "platform", "app"), 90),
                new Value("uv", Map.of("channel", "organic", "platform", "web"), 61),
                new Value("uv", Map.of("channel", "paid_ads", "platform", "app"), 33),
                new Value("uv_total", Map.of(), 170),
                new Value("pv_share", Map.of("channel", "organic"), 0.78),
                new Value("pv_share", Map.of("channel", "paid_ads"), 0.18),
                new Value("pv_share", Map.of("channel", "search"), 0.04),
                new Value("net_gmv", Map.of("channel", "organic", "currency", "CNY"), 4500.5),
                new Value("net_gmv", Map.of("channel", "paid_ads", "currency", "CNY"), 1234.25),
                new Value("payment_success", Map.of(), 0.93),
                new Value("refund_rate", Map.of(), 0.04),
                new Value("risk_alerts", Map.of("rule", "new_account_burst", "severity", "critical"), 2),
                new Value("risk_alerts", Map.of("rule", "coupon_abuse", "severity", "warning"), 1),
                new Value("payments_failed", Map.of("channel", "organic"), 2),
                new Value("orders_cancelled", Map.of("channel", "paid_ads"), 3),
                new Value("refunds", Map.of("channel", "organic"), 1),
                new Value("refunded_amount", Map.of("channel", "organic", "currency", "CNY"), 99.5),
                new Value("cancelled_paid_amount", Map.of("channel", "paid_ads", "currency", "CNY"), 45.25),
                new Value("aov", Map.of("currency", "CNY"), 183.25),
                new Value("cancellation_rate", Map.of(), 0.0714));
        // the ads of the same minute: a click whose impression came a minute earlier gives a CPC but no CTR
        finals = concat(finals, adCountValues(List.of(
                new AdCounts("cmp-home-banner", "hb-1", "home_banner", 1_000, 20, 64),
                new AdCounts("cmp-home-banner", "hb-2", "home_banner", 500, 9, 32),
                new AdCounts("cmp-search-brand", "sb-1", "search_results", 150, 10, 16),
                new AdCounts("cmp-live-room", "lr-1", "live_room", 400, 6, 42),
                new AdCounts("cmp-external-retarget", "er-1", "external", 0, 3, 8.75),
                new AdCounts("other", "other", "feed", 200, 4, 8.5))));
        // finals of the business day that ended at the same time as the minute above
        List<Value> lastDay = List.of(
                new Value("retention_d1", Map.of(), 0.32),
                new Value("retention_d7", Map.of(), 0.125),
                new Value("repurchase_rate", Map.of(), 0.21),
                new Value("funnel_users_total", Map.of("step", "product_view"), 30_100),
                new Value("funnel_users_total", Map.of("step", "add_to_cart"), 6_020),
                new Value("funnel_users_total", Map.of("step", "order_created"), 1_900),
                new Value("funnel_users_total", Map.of("step", "order_paid"), 1_210),
                new Value("risk_alerts", Map.of("rule", "coupon_abuse", "severity", "warning"), 14),
                new Value("risk_alerts", Map.of("rule", "amount_outlier", "severity", "warning"), 3));
        List<Value> running = List.of(
                new Value("page_views", Map.of("channel", "organic", "platform", "app"), 17),
                new Value("page_views", Map.of("channel", "paid_ads", "platform", "app"), 4));
        List<Value> today = List.of(
                new Value("orders_created", Map.of("channel", "organic"), 310),
                new Value("orders_created", Map.of("channel", "search"), 41),
                new Value("orders_paid", Map.of("channel", "organic"), 270),
                new Value("gmv", Map.of("channel", "organic", "currency", "CNY"), 53210.75),
                new Value("gmv", Map.of("channel", "search", "currency", "CNY"), 8100),
                new Value("dau", Map.of("platform", "app"), 41_200),
                new Value("dau", Map.of("platform", "web"), 9_800),
                new Value("dau_total", Map.of(), 49_300),
                new Value("mau", Map.of(), 120_500),
                new Value("stickiness", Map.of(), 0.41),
                new Value("new_users", Map.of(), 2_100),
                new Value("sessions", Map.of(), 61_000),
                new Value("bounce_rate", Map.of(), 0.37),
                new Value("session_length", Map.of(), 312.5),
                new Value("uv_share", Map.of("channel", "organic"), 0.6),
                new Value("uv_share", Map.of("channel", "paid_ads"), 0.25),
                new Value("pv_share", Map.of("channel", "organic"), 0.55),
                new Value("pv_share", Map.of("channel", "search"), 0.45),
                new Value("net_gmv", Map.of("channel", "organic", "currency", "CNY"), 50_100.25),
                new Value("net_gmv", Map.of("channel", "search", "currency", "CNY"), 7_900),
                new Value("aov", Map.of("currency", "CNY"), 217.5),
                new Value("payment_success", Map.of(), 0.945),
                new Value("refund_rate", Map.of(), 0.16),
                new Value("cancellation_rate", Map.of(), 0.05),
                new Value("paying_users", Map.of(), 2_480),
                new Value("refunded_amount", Map.of("channel", "organic", "currency", "CNY"), 3_110.5),
                new Value("cancelled_paid_amount", Map.of("channel", "search", "currency", "CNY"), 200),
                new Value("funnel_users_total", Map.of("step", "product_view"), 20_000),
                new Value("funnel_users_total", Map.of("step", "add_to_cart"), 4_000),
                new Value("funnel_users_total", Map.of("step", "order_created"), 1_200),
                new Value("funnel_users_total", Map.of("step", "order_paid"), 900),
                new Value("funnel_step_conversion_total", Map.of("step", "add_to_cart"), 0.2),
                new Value("funnel_step_conversion_total", Map.of("step", "order_created"), 0.3),
                new Value("funnel_step_conversion_total", Map.of("step", "order_paid"), 0.75),
                new Value("funnel_conversion_total", Map.of(), 0.045),
                new Value("funnel_conversion", Map.of("channel", "organic"), 0.05),
                new Value("funnel_conversion", Map.of("channel", "paid_ads"), 0.021),
                new Value("visit_to_order", Map.of(), 0.0503),
                new Value("risk_alerts", Map.of("rule", "new_account_burst", "severity", "critical"), 5),
                new Value("risk_alerts", Map.of("rule", "coupon_abuse", "severity", "warning"), 9),
                new Value("risk_alerts", Map.of("rule", "shared_device", "severity", "warning"), 2),
                new Value("page_views", Map.of("channel", "organic", "platform", "app"), 91_000),
                new Value("page_views", Map.of("channel", "search", "platform", "web"), 12_500),
                new Value("payments_failed", Map.of("channel", "organic"), 16),
                new Value("orders_cancelled", Map.of("channel", "search"), 18),
                new Value("refunds", Map.of("channel", "organic"), 43),
                new Value("funnel_users", Map.of("step", "product_view", "channel", "organic"), 15_000),
                new Value("funnel_users", Map.of("step", "add_to_cart", "channel", "organic"), 3_100),
                new Value("funnel_users", Map.of("step", "product_view", "channel", "search"), 5_000),
                new Value("funnel_step_conversion", Map.of("step", "add_to_cart", "channel", "organic"), 0.2067),
                new Value("funnel_step_conversion", Map.of("step", "add_to_cart", "channel", "search"), 0.18));
        // the ads today: the top-N campaigns and the folded rest ("other"), a CPC creative shown but not clicked
        // (zero spend), a campaign without first-time buyers (no CAC) and one converting today from yesterday's
        // clicks only (no CVR, no ROAS); money in quarters, so that sums are exact in any order
        List<AdCounts> adsToday = List.of(
                new AdCounts("cmp-home-banner", "hb-1", "home_banner", 52_000, 1_040, 3_328),
                new AdCounts("cmp-home-banner", "hb-2", "home_banner", 18_000, 450, 1_152),
                new AdCounts("cmp-search-brand", "sb-1", "search_results", 9_000, 540, 864),
                new AdCounts("cmp-search-brand", "sb-2", "search_results", 1_200, 0, 0),
                new AdCounts("cmp-feed-native", "fn-1", "feed", 14_000, 420, 903),
                new AdCounts("cmp-live-room", "lr-1", "live_room", 20_000, 300, 2_100),
                new AdCounts("cmp-detail-crosssell", "dc-1", "product_detail", 7_500, 260, 520),
                new AdCounts("cmp-external-retarget", "er-1", "external", 6_000, 240, 696),
                new AdCounts("other", "other", "feed", 3_000, 75, 161.25),
                new AdCounts("other", "other", "external", 1_000, 30, 87));
        today = concat(today, adCountValues(adsToday), adAttributionValues(adsToday, List.of(
                new Attributed("cmp-home-banner", 49, 14_700.5, 12),
                new Attributed("cmp-search-brand", 30, 6_201.25, 9),
                new Attributed("cmp-feed-native", 11, 1_806.75, 3),
                new Attributed("cmp-live-room", 9, 1_575, 2),
                new Attributed("cmp-detail-crosssell", 8, 1_622.5, 0),
                new Attributed("cmp-external-retarget", 10, 2_088, 4),
                new Attributed("other", 2, 400.25, 1),
                new Attributed("cmp-spring-teaser", 1, 99.5, 1))));
        Map<List<String>, Integer> deadLetters = Map.of(
                List.of("click", "malformed_json"), 3,
                List.of("order", "too_late"), 1);

        List<ProducerRecord<String, String>> finalRecords = new ArrayList<>();
        finals.forEach(v -> finalRecords.add(new ProducerRecord<>(METRICS,
                TestRecords.metric(v.metric(), v.labels(), windowStart, windowEnd, v.value(), true))));
        lastDay.forEach(v -> finalRecords.add(new ProducerRecord<>(METRICS, TestRecords.metric(v.metric(),
                v.labels(), windowEnd.minus(Duration.ofDays(1)), windowEnd, v.value(), true))));
        commit(sink, finalRecords);
        for (Value v : running) {
            live.send(new ProducerRecord<>(LIVE, TestRecords.metric(v.metric(), v.labels(), windowEnd,
                    windowEnd.plusSeconds(60), v.value(), false))).get();
        }
        for (Value v : today) {
            live.send(new ProducerRecord<>(LIVE, TestRecords.metric(MetricDefinition.of(v.metric(), Period.DAY),
                    v.labels(), windowEnd, v.value(), false))).get();
        }
        List<ProducerRecord<String, String>> deadLetterRecords = new ArrayList<>();
        deadLetters.forEach((streamAndReason, count) -> {
            for (int i = 0; i < count; i++) {
                deadLetterRecords.add(new ProducerRecord<>(DEAD, TestRecords.deadLetter(
                        Stream.valueOf(streamAndReason.get(0).toUpperCase()),
                        DeadLetterReason.ofCode(streamAndReason.get(1)))));
            }
        });
        commit(sink, deadLetterRecords);
        live.send(new ProducerRecord<>(LIVE, "{\"name\":\"not_in_the_catalog\"}")).get();

        int liveRecords = running.size() + today.size() + 2;
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(scrape(exporter))
                .containsEntry("pulse_exporter_records_total{topic=\"" + METRICS + "\"}", finalRecords.size() + ".0")
                .containsEntry("pulse_exporter_records_total{topic=\"" + LIVE + "\"}", liveRecords + ".0")
                .containsEntry("pulse_exporter_records_total{topic=\"" + DEAD + "\"}",
                        deadLetterRecords.size() + ".0"));
        assertThat(Duration.between(windowEnd, Instant.now()))
                .as("the finals must reach the exporter within the (30 s, 45 s] delay bucket this test expects")
                .isLessThan(Duration.ofSeconds(45));
        double recordsRead = finalRecords.size() + liveRecords + deadLetterRecords.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> prometheus.query("sum(pulse_exporter_records_total)",
                Instant.now()).getOrDefault(Map.of(), 0.0) == recordsRead);

        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Map<String, Consumer<Map<Map<String, String>, Double>>> expectations =
                expectations(finals, lastDay, running, today, deadLetters, windowEnd, at, campaign -> true);
        Map<String, String> panels = DashboardCatalogTest.dashboardExpressions();
        // queries of Flink's reporter, of Prometheus itself (ALERTS, up) or of the GMV target are the local stack
        // test's (LocalStackDashboardsTest): this one has no job, no rules and no target
        Set<String> served = DashboardCatalogTest.servedSampleNames();
        Set<String> elsewhere = panels.entrySet().stream()
                .filter(panel -> !served.containsAll(PromQl.metricNames(panel.getValue())))
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        assertThat(elsewhere).as("queries not served by the exporter alone").containsExactlyInAnyOrder(
                "GMV today against the target / A", "GMV today vs the same time last week / C",
                "Alerts firing now / A", "Risk alerts paging now / A",
                "Events in per second by stream / A", "Late and duplicate events per second / A",
                "Late and duplicate events per second / B", "Late and duplicate events per second / C",
                "Watermark delay behind the clock / A", "Consumer lag: records not read yet / A",
                "Checkpoint duration and size / A", "Checkpoint duration and size / B",
                "Checkpoints and restarts / A", "Checkpoints and restarts / B", "Checkpoints and restarts / C",
                "Backpressure by task / A", "Scrape targets up / A");
        panels.keySet().removeAll(elsewhere);
        // every variable at All, as a dashboard opens
        Map<String, String> allValues = DashboardCatalogTest.allValues();
        for (Map.Entry<String, String> panel : panels.entrySet()) {
            Consumer<Map<Map<String, String>, Double>> expectation = expectations.remove(panel.getKey());
            assertThat(expectation).as("no expected result for panel query '%s'", panel.getKey()).isNotNull();
            checkPanel(prometheus, panel.getKey(), withVariables(panel.getValue(), allValues), at, expectation);
        }
        assertThat(expectations.keySet()).as("expected results for panels the dashboard no longer has").isEmpty();

        // what Grafana lists in each variable over the last day, from the records of the metric it reads
        for (JsonNode dashboard : RepoFiles.dashboards()) {
            for (JsonNode variable : DashboardCatalogTest.queryVariables(dashboard)) {
                Matcher m = DashboardCatalogTest.LABEL_VALUES.matcher(variable.path("query").path("query").asText());
                assertThat(m.matches()).isTrue();
                Set<String> listed = new TreeSet<>();
                servedAs(m.group(1), finals, lastDay, running, today).forEach(v -> listed.add(v.labels()
                        .get(m.group(2))));
                assertThat(prometheus.labelValues(m.group(2), m.group(1), at.minus(Duration.ofDays(1)), at))
                        .as("%s: %s", variable.path("name"), variable.path("definition"))
                        .containsExactlyElementsOf(listed);
            }
        }

        // some campaigns picked, as Grafana writes a multi-value selection into a regex, (a|b|c): the panels by
        // campaign show those only, the totals stay as they were
        Map<String, Consumer<Map<Map<String, String>, Double>>> selected = expectations(finals, lastDay, running,
                today, deadLetters, windowEnd, at, SELECTED_CAMPAIGNS::contains);
        Map<String, String> selection = new HashMap<>(allValues);
        selection.put("campaign", "(" + String.join("|", SELECTED_CAMPAIGNS) + ")");
        for (Map.Entry<String, String> panel : panels.entrySet()) {
            checkPanel(prometheus, panel.getKey() + " (campaigns " + SELECTED_CAMPAIGNS + ")",
                    withVariables(panel.getValue(), selection), at, selected.get(panel.getKey()));
        }
    }

    private static void checkPanel(PrometheusServer prometheus, String panel, String promql, Instant at,
                                   Consumer<Map<Map<String, String>, Double>> expectation) {
        // the data is all in by now: the first query is usually the one, so it goes out at once
        await().pollDelay(Duration.ZERO).atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                prometheus.query(promql, at)).as("%s: %s", panel, promql).satisfies(expectation));
    }

    /** The query as Grafana sends it: $__rate_interval and the dashboard's variables filled in. */
    private static String withVariables(String expr, Map<String, String> values) {
        String promql = expr.replace("$__rate_interval", RATE_INTERVAL);
        for (Map.Entry<String, String> value : values.entrySet()) {
            promql = promql.replace("$" + value.getKey(), value.getValue());
        }
        return promql;
    }

    /** Per panel title and refId: what its query must return, computed from the records written. */
    private static Map<String, Consumer<Map<Map<String, String>, Double>>> expectations(
            List<Value> finals, List<Value> lastDay, List<Value> running, List<Value> today,
            Map<List<String>, Integer> deadLetters, Instant windowEnd, Instant at, Predicate<String> campaigns) {
        Map<String, Consumer<Map<Map<String, String>, Double>>> e = new LinkedHashMap<>();
        List<Map<String, String>> withFinals = new ArrayList<>(perMetric(finals));
        lastDay.stream().map(v -> Map.of("metric", MetricDefinition.of(v.metric(), Period.DAY).id())).distinct()
                .forEach(withFinals::add);
        e.put("Page views per minute by channel / A", sumOf(finals, "page_views", "channel"));
        e.put("Page views, current minute / A", sumOf(running, "page_views", "channel"));
        e.put("Freshness: age of the newest final minute / A", result -> {
            assertThat(result.keySet()).containsExactlyInAnyOrderElementsOf(withFinals);
            double expectedAge = (at.toEpochMilli() - windowEnd.toEpochMilli()) / 1000.0;
            result.values().forEach(age -> assertThat(age).isCloseTo(expectedAge, within(0.001)));
        });
        e.put("Orders created and paid per minute / A", sumOf(finals, "orders_created"));
        e.put("Orders created and paid per minute / B", sumOf(finals, "orders_paid"));
        e.put("GMV per minute by channel / A", sumOf(finals, "gmv", "channel", "currency"));
        e.put("Dead letters per second by reason / A", result -> {
            assertThat(result).hasSize(Stream.values().length * DeadLetterReason.values().length);
            result.forEach((labels, rate) -> {
                if (deadLetters.containsKey(List.of(labels.get("stream"), labels.get("reason")))) {
                    assertThat(rate).as("%s", labels).isPositive();
                } else {
                    assertThat(rate).as("%s", labels).isZero();
                }
            });
        });
        // every delay lies in (30 s, 45 s], all buckets below are empty: the estimate is 30 + 0.95 * 15; a metric
        // without any final yet (the business-day ones) has no estimate
        e.put("Result delay p95: window end to exporter / A", result -> {
            assertThat(result.keySet()).containsExactlyInAnyOrderElementsOf(Arrays.stream(MetricDefinition.values())
                    .map(d -> Map.of("metric", d.id())).toList());
            result.forEach((labels, p95) -> {
                if (withFinals.contains(labels)) {
                    assertThat(p95).as("%s", labels).isCloseTo(44.25, within(1e-9));
                } else {
                    assertThat(p95).as("%s", labels).isNaN();
                }
            });
        });
        e.put("Orders today so far by channel / A", sumOf(today, "orders_created", "channel"));
        e.put("Orders today so far by channel / B", sumOf(today, "orders_paid", "channel"));
        e.put("GMV today so far by channel / A", sumOf(today, "gmv", "channel", "currency"));
        e.put("DAU today so far / A", sumOf(today, "dau_total"));
        e.put("DAU today so far / B", sumOf(today, "dau", "platform"));
        e.put("UV per minute / A", sumOf(finals, "uv_total"));
        e.put("UV per minute / B", sumOf(finals, "uv", "channel"));
        e.put("DAU today vs yesterday at this time / A", sumOf(today, "dau_total"));
        e.put("DAU today vs yesterday at this time / B", result -> assertThat(result).isEmpty()); // no data then
        e.put("MAU today / A", sumOf(today, "mau"));
        e.put("Stickiness today / A", sumOf(today, "stickiness"));
        e.put("New users today / A", sumOf(today, "new_users"));
        e.put("Retention (latest closed day) / A", sumOf(lastDay, "retention_d1"));
        e.put("Retention (latest closed day) / B", sumOf(lastDay, "retention_d7"));
        e.put("Sessions today / A", sumOf(today, "sessions"));
        e.put("Sessions today / B", sumOf(today, "bounce_rate"));
        e.put("Sessions today / C", sumOf(today, "session_length"));
        e.put("Traffic mix today: visitors by channel / A", sumOf(today, "uv_share", "channel"));
        e.put("Traffic mix today: page views by channel / A", sumOf(today, "pv_share", "channel"));
        e.put("Page views per minute by platform / A", sumOf(finals, "page_views", "platform"));
        e.put("Share of page views per minute by channel / A", sumOf(finals, "pv_share", "channel"));
        String[] steps = {"product_view", "add_to_cart", "order_created", "order_paid"};
        for (int k = 0; k < steps.length; k++) {
            String ref = " / " + (char) ('A' + k);
            e.put("Funnel today: visitors by step" + ref, sumWhere(today, "funnel_users_total", "step", steps[k]));
            e.put("Funnel, latest final day: visitors by step" + ref,
                    sumWhere(lastDay, "funnel_users_total", "step", steps[k]));
            if (k > 0) {
                e.put("Step conversion today / " + (char) ('A' + k - 1),
                        sumWhere(today, "funnel_step_conversion_total", "step", steps[k]));
            }
        }
        e.put("Conversion today / A", sumOf(today, "funnel_conversion_total"));
        e.put("Conversion today / B", sumOf(today, "visit_to_order"));
        e.put("Funnel conversion today by channel / A", sumOf(today, "funnel_conversion", "channel"));
        e.put("GMV and net GMV today vs yesterday at this time / A", sumOf(today, "gmv", "currency"));
        e.put("GMV and net GMV today vs yesterday at this time / B", sumOf(today, "net_gmv", "currency"));
        e.put("GMV and net GMV today vs yesterday at this time / C", result -> assertThat(result).isEmpty());
        e.put("GMV and net GMV today vs yesterday at this time / D", result -> assertThat(result).isEmpty());
        e.put("AOV today / A", sumOf(today, "aov", "currency"));
        e.put("Payment success today / A", sumOf(today, "payment_success"));
        e.put("Refund rate today / A", sumOf(today, "refund_rate"));
        e.put("Cancellation rate today / A", sumOf(today, "cancellation_rate"));
        e.put("Paying users today and repurchase / A", sumOf(today, "paying_users"));
        e.put("Paying users today and repurchase / B", sumOf(lastDay, "repurchase_rate"));
        e.put("Refunded and cancelled money today by channel / A", sumOf(today, "refunded_amount", "channel"));
        e.put("Refunded and cancelled money today by channel / B", sumOf(today, "cancelled_paid_amount", "channel"));
        e.put("Net GMV per minute by channel / A", sumOf(finals, "net_gmv", "channel"));
        e.put("Payment success and refund rate per minute / A", sumOf(finals, "payment_success"));
        e.put("Payment success and refund rate per minute / B", sumOf(finals, "refund_rate"));
        // the ads dashboard: the totals cover every campaign, the per-campaign panels the campaigns picked
        List<Value> adMinute = ofCampaigns(finals, campaigns);
        List<Value> adToday = ofCampaigns(today, campaigns);
        assertThat(adMinute.stream().map(Value::metric).distinct()).as("minute ads of the campaigns shown")
                .contains("ad_impressions", "ad_clicks", "ad_spend", "ad_ctr", "ad_cpc", "ad_cpm");
        assertThat(adToday.stream().map(Value::metric).distinct()).as("ads today of the campaigns shown")
                .contains("ad_spend", "ad_ctr", "ad_cpc", "ad_cpm", "ad_conversions", "ad_attributed_gmv",
                        "ad_first_time_buyers", "ad_cvr", "ad_roas", "ad_cac");
        e.put("Ad spend today / A", sumOf(today, "ad_spend", "currency"));
        e.put("Attributed GMV today / A", sumOf(today, "ad_attributed_gmv", "currency"));
        e.put("Ad conversions today / A", sumOf(today, "ad_conversions"));
        e.put("Ad conversions today / B", sumOf(today, "ad_first_time_buyers"));
        e.put("ROAS today / A", ratioOf(today, "ad_attributed_gmv", "ad_spend", "currency"));
        e.put("Spend today by campaign / A", sumOf(adToday, "ad_spend", "campaign", "currency"));
        e.put("Attributed GMV today by campaign / A", sumOf(adToday, "ad_attributed_gmv", "campaign", "currency"));
        e.put("Top 5 campaigns by spend today / A", topOf(5, ofCampaigns(adToday, c -> !"other".equals(c)),
                "ad_spend", "campaign", "currency"));
        e.put("ROAS today by campaign / A", sumOf(adToday, "ad_roas", "campaign"));
        e.put("CVR today by campaign / A", sumOf(adToday, "ad_cvr", "campaign"));
        e.put("CTR today by campaign / A", sumOf(adToday, "ad_ctr", "campaign"));
        e.put("CPC today by campaign / A", sumOf(adToday, "ad_cpc", "campaign", "currency"));
        e.put("CPM today by campaign / A", sumOf(adToday, "ad_cpm", "campaign", "currency"));
        e.put("CAC today by campaign / A", sumOf(adToday, "ad_cac", "campaign", "currency"));
        e.put("Conversions and first-time buyers today by campaign / A", sumOf(adToday, "ad_conversions",
                "campaign"));
        e.put("Conversions and first-time buyers today by campaign / B", sumOf(adToday, "ad_first_time_buyers",
                "campaign"));
        e.put("Spend per minute by campaign / A", sumOf(adMinute, "ad_spend", "campaign", "currency"));
        e.put("Ad impressions and clicks per minute / A", sumOf(adMinute, "ad_impressions"));
        e.put("Ad impressions and clicks per minute / B", sumOf(adMinute, "ad_clicks"));
        e.put("CTR per minute by campaign / A", sumOf(adMinute, "ad_ctr", "campaign"));
        // the war room and risk dashboards, from the same values
        e.put("GMV today / A", sumOf(today, "gmv", "currency"));
        e.put("GMV today vs the same time last week / A", sumOf(today, "gmv", "currency"));
        e.put("GMV today vs the same time last week / B", result -> assertThat(result).isEmpty()); // no data then
        e.put("Paid orders per minute / A", sumOf(finals, "orders_created"));
        e.put("Paid orders per minute / B", sumOf(finals, "orders_paid"));
        e.put("GMV per minute / A", sumOf(finals, "gmv", "currency"));
        e.put("Payment success now and today / A", sumOf(finals, "payment_success"));
        e.put("Payment success now and today / B", sumOf(today, "payment_success"));
        e.put("Conversion and DAU today / A", sumOf(today, "visit_to_order"));
        e.put("Conversion and DAU today / B", sumOf(today, "dau_total"));
        e.put("Top channels by GMV today / A", topOf(5, today, "gmv", "channel"));
        e.put("Top campaigns by attributed GMV today / A", topOf(5, ofCampaigns(adToday, c -> !"other".equals(c)),
                "ad_attributed_gmv", "campaign"));
        e.put("Risk alerts today / A", sumOf(today, "risk_alerts", "severity"));
        e.put("Risk alerts today by severity / A", sumOf(today, "risk_alerts", "severity"));
        e.put("Risk alerts today by rule / A", sumOf(today, "risk_alerts", "rule"));
        e.put("Risk alerts of the latest closed day by rule / A", sumOf(lastDay, "risk_alerts", "rule"));
        e.put("Risk alerts per minute by rule / A", sumOf(finals, "risk_alerts", "rule"));
        e.put("Dead letters per second by stream and reason / A", e.get("Dead letters per second by reason / A"));
        e.put("Freshness and result delay / A", result -> assertThat(result).containsOnlyKeys(Map.of())
                .allSatisfy((labels, age) -> assertThat(age).isCloseTo(
                        (at.toEpochMilli() - windowEnd.toEpochMilli()) / 1000.0, within(0.001))));
        e.put("Freshness and result delay / B", result -> assertThat(result).containsOnlyKeys(Map.of())
                .allSatisfy((labels, p95) -> assertThat(p95).isCloseTo(44.25, within(1e-9))));
        e.put("Invalid records on the results topics / A", result -> {
            assertThat(result.keySet()).containsExactlyInAnyOrder(
                    Map.of("topic", METRICS), Map.of("topic", LIVE), Map.of("topic", DEAD));
            assertThat(result.get(Map.of("topic", LIVE))).isPositive();
            assertThat(result.get(Map.of("topic", METRICS))).isZero();
            assertThat(result.get(Map.of("topic", DEAD))).isZero();
        });
        e.put("Page views today by channel and platform / A", sumOf(today, "page_views", "channel", "platform"));
        e.put("Funnel today by channel: visitors by step / A", sumOf(today, "funnel_users", "channel", "step"));
        e.put("Step conversion today by channel / A", sumOf(today, "funnel_step_conversion", "channel", "step"));
        e.put("Failed payments, cancellations and refunds today / A", sumOf(today, "payments_failed"));
        e.put("Failed payments, cancellations and refunds today / B", sumOf(today, "orders_cancelled"));
        e.put("Failed payments, cancellations and refunds today / C", sumOf(today, "refunds"));
        e.put("Failed payments, cancellations and refunds per minute / A", sumOf(finals, "payments_failed"));
        e.put("Failed payments, cancellations and refunds per minute / B", sumOf(finals, "orders_cancelled"));
        e.put("Failed payments, cancellations and refunds per minute / C", sumOf(finals, "refunds"));
        e.put("Money given back per minute / A", sumOf(finals, "refunded_amount", "currency"));
        e.put("Money given back per minute / B", sumOf(finals, "cancelled_paid_amount", "currency"));
        e.put("AOV and cancellation rate per minute / A", sumOf(finals, "aov", "currency"));
        e.put("AOV and cancellation rate per minute / B", sumOf(finals, "cancellation_rate"));
        e.put("Ad impressions and clicks today / A", sumOf(adToday, "ad_impressions"));
        e.put("Ad impressions and clicks today / B", sumOf(adToday, "ad_clicks"));
        e.put("CPC and CPM per minute by campaign / A", sumOf(adMinute, "ad_cpc", "campaign", "currency"));
        e.put("CPC and CPM per minute by campaign / B", sumOf(adMinute, "ad_cpm", "campaign", "currency"));
        e.put("Exporter: records read per second / A", result -> assertThat(result).containsOnlyKeys(
                Map.of("topic", METRICS), Map.of("topic", LIVE), Map.of("topic", DEAD))
                .allSatisfy((topic, rate) -> assertThat(rate).as("%s", topic).isPositive()));
        e.put("Exporter: records read per second / B", e.get("Invalid records on the results topics / A"));
        return e;
    }

    /** The sum of one metric's values grouped by the given labels, like PromQL's sum by (...). */
    private static Map<Map<String, String>, Double> sumBy(List<Value> values, String metric, String... labels) {
        Map<Map<String, String>, Double> sums = new HashMap<>();
        for (Value v : values) {
            if (v.metric().equals(metric)) {
                Map<String, String> group = new HashMap<>();
                for (String label : labels) {
                    group.put(label, v.labels().get(label));
                }
                sums.merge(group, v.value(), Double::sum);
            }
        }
        return sums;
    }

    /** The expectation of a query summing one metric's values by the given labels. */
    private static Consumer<Map<Map<String, String>, Double>> sumOf(List<Value> values, String metric,
                                                                     String... labels) {
        return result -> assertThat(result).containsExactlyInAnyOrderEntriesOf(sumBy(values, metric, labels));
    }

    /** The same for the values with one label value, summed into one series. */
    private static Consumer<Map<Map<String, String>, Double>> sumWhere(List<Value> values, String metric,
                                                                        String label, String labelValue) {
        return sumOf(values.stream().filter(v -> labelValue.equals(v.labels().get(label))).toList(), metric);
    }

    /** The expectation of a query dividing two sums by the given labels, where the divisor is above zero. */
    private static Consumer<Map<Map<String, String>, Double>> ratioOf(List<Value> values, String dividend,
                                                                       String divisor, String... labels) {
        Map<Map<String, String>, Double> divisors = sumBy(values, divisor, labels);
        Map<Map<String, String>, Double> ratios = new HashMap<>();
        sumBy(values, dividend, labels).forEach((group, sum) -> {
            Double by = divisors.get(group);
            if (by != null && by > 0) {
                ratios.put(group, sum / by);
            }
        });
        assertThat(ratios).as("%s / %s", dividend, divisor).isNotEmpty();
        return result -> assertThat(result).containsExactlyInAnyOrderEntriesOf(ratios);
    }

    /** The expectation of topk(k, sum by (...) (metric)): the k largest sums (the test keeps them apart). */
    private static Consumer<Map<Map<String, String>, Double>> topOf(int k, List<Value> values, String metric,
                                                                     String... labels) {
        Map<Map<String, String>, Double> top = new HashMap<>();
        sumBy(values, metric, labels).entrySet().stream()
                .sorted(Map.Entry.<Map<String, String>, Double>comparingByValue().reversed()).limit(k)
                .forEach(entry -> top.put(entry.getKey(), entry.getValue()));
        return result -> assertThat(result).containsExactlyInAnyOrderEntriesOf(top);
    }

    /** The values without a campaign, and those of the campaigns given. */
    private static List<Value> ofCampaigns(List<Value> values, Predicate<String> campaigns) {
        return values.stream().filter(v -> !v.labels().containsKey("campaign")
                || campaigns.test(v.labels().get("campaign"))).toList();
    }

    /**
     * The ads family's values of one window: impressions, clicks and spend per campaign, creative and placement;
     * per campaign CTR and CPM when it had impressions, CPC when it had clicks.
     */
    private static List<Value> adCountValues(List<AdCounts> counts) {
        List<Value> values = new ArrayList<>();
        for (AdCounts c : counts) {
            Map<String, String> labels = Map.of("campaign", c.campaign(), "creative", c.creative(),
                    "placement", c.placement());
            values.add(new Value("ad_impressions", labels, c.impressions()));
            values.add(new Value("ad_clicks", labels, c.clicks()));
            values.add(new Value("ad_spend", Map.of("campaign", c.campaign(), "creative", c.creative(),
                    "placement", c.placement(), "currency", CURRENCY), c.spend()));
        }
        perCampaign(counts).forEach((campaign, c) -> {
            Map<String, String> money = Map.of("campaign", campaign, "currency", CURRENCY);
            if (c.impressions() > 0) {
                values.add(new Value("ad_ctr", Map.of("campaign", campaign), (double) c.clicks() / c.impressions()));
                values.add(new Value("ad_cpm", money, c.spend() * 1000 / c.impressions()));
            }
            if (c.clicks() > 0) {
                values.add(new Value("ad_cpc", money, c.spend() / c.clicks()));
            }
        });
        return values;
    }

    /**
     * The attribution's values of a business day: every campaign with clicks, spend or conversions reports its
     * conversions, attributed GMV and first-time buyers; CVR when it had clicks, ROAS when it had spend, CAC
     * when it had first-time buyers.
     */
    private static List<Value> adAttributionValues(List<AdCounts> counts, List<Attributed> attributed) {
        Map<String, AdCounts> ads = perCampaign(counts);
        Map<String, Attributed> credited = new TreeMap<>();
        ads.forEach((campaign, c) -> {
            if (c.clicks() > 0 || c.spend() > 0) {
                credited.put(campaign, new Attributed(campaign, 0, 0, 0));
            }
        });
        attributed.forEach(a -> credited.put(a.campaign(), a));
        List<Value> values = new ArrayList<>();
        credited.forEach((campaign, a) -> {
            AdCounts c = ads.getOrDefault(campaign, new AdCounts(campaign, "", "", 0, 0, 0));
            Map<String, String> labels = Map.of("campaign", campaign);
            Map<String, String> money = Map.of("campaign", campaign, "currency", CURRENCY);
            values.add(new Value("ad_conversions", labels, a.conversions()));
            values.add(new Value("ad_attributed_gmv", money, a.gmv()));
            values.add(new Value("ad_first_time_buyers", labels, a.firstTimeBuyers()));
            if (c.clicks() > 0) {
                values.add(new Value("ad_cvr", labels, (double) a.conversions() / c.clicks()));
            }
            if (c.spend() > 0) {
                values.add(new Value("ad_roas", labels, a.gmv() / c.spend()));
            }
            if (a.firstTimeBuyers() > 0) {
                values.add(new Value("ad_cac", money, c.spend() / a.firstTimeBuyers()));
            }
        });
        return values;
    }

    /** The counts added up per campaign, over its creatives and placements. */
    private static Map<String, AdCounts> perCampaign(List<AdCounts> counts) {
        Map<String, AdCounts> campaigns = new TreeMap<>();
        for (AdCounts c : counts) {
            campaigns.merge(c.campaign(), c, (a, b) -> new AdCounts(a.campaign(), "", "",
                    a.impressions() + b.impressions(), a.clicks() + b.clicks(), a.spend() + b.spend()));
        }
        return campaigns;
    }

    /** The records of the catalog metric served under this sample name, from the list written as it is served. */
    private static List<Value> servedAs(String sampleName, List<Value> finals, List<Value> lastDay,
                                        List<Value> running, List<Value> today) {
        for (MetricDefinition d : MetricDefinition.values()) {
            List<Value> written = sampleName.equals(d.finalName()) ? (d.period() == Period.MINUTE ? finals : lastDay)
                    : sampleName.equals(d.runningName()) ? (d.period() == Period.MINUTE ? running : today) : null;
            if (written != null) {
                return written.stream().filter(v -> v.metric().equals(d.recordName())).toList();
            }
        }
        throw new AssertionError(sampleName + " is not a catalog name");
    }

    @SafeVarargs
    private static List<Value> concat(List<Value>... lists) {
        List<Value> all = new ArrayList<>();
        for (List<Value> list : lists) {
            all.addAll(list);
        }
        return List.copyOf(all);
    }

    private static List<Map<String, String>> perMetric(List<Value> values) {
        return values.stream().map(Value::metric).distinct().map(m -> Map.of("metric", m))
                .collect(Collectors.toList());
    }

    private static Map<String, String> scrape(MetricsExporter exporter) throws Exception {
        return Exposition.samples(Exposition.scrape(exporter.port()));
    }
}
