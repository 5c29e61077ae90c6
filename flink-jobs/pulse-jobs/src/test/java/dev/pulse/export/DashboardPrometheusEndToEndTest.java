package dev.pulse.export;

import static dev.pulse.testing.KafkaTestBroker.commit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole read path with real servers: records on a KRaft broker, the exporter, a real Prometheus scraping it
 * every second, and then every panel query of every dashboard in dashboards/ evaluated by that Prometheus and
 * checked against values computed here from the records written.
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

    @TempDir
    Path workDir;

    /** One value written to the results topics. */
    private record Value(String metric, Map<String, String> labels, double value) {}

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
                new Value("refund_rate", Map.of(), 0.04));
        // finals of the business day that ended at the same time as the minute above
        List<Value> lastDay = List.of(
                new Value("retention_d1", Map.of(), 0.32),
                new Value("retention_d7", Map.of(), 0.125),
                new Value("repurchase_rate", Map.of(), 0.21),
                new Value("funnel_users_total", Map.of("step", "product_view"), 30_100),
                new Value("funnel_users_total", Map.of("step", "add_to_cart"), 6_020),
                new Value("funnel_users_total", Map.of("step", "order_created"), 1_900),
                new Value("funnel_users_total", Map.of("step", "order_paid"), 1_210));
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
                new Value("visit_to_order", Map.of(), 0.0503));
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
                expectations(finals, lastDay, running, today, deadLetters, windowEnd, at);
        Map<String, String> panels = DashboardCatalogTest.dashboardExpressions();
        for (Map.Entry<String, String> panel : panels.entrySet()) {
            Consumer<Map<Map<String, String>, Double>> expectation = expectations.remove(panel.getKey());
            assertThat(expectation).as("no expected result for panel query '%s'", panel.getKey()).isNotNull();
            String promql = panel.getValue().replace("$__rate_interval", RATE_INTERVAL);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(prometheus.query(promql, at))
                    .as("%s: %s", panel.getKey(), promql).satisfies(expectation));
        }
        assertThat(expectations.keySet()).as("expected results for panels the dashboard no longer has").isEmpty();
    }

    /** Per panel title and refId: what its query must return, computed from the records written. */
    private static Map<String, Consumer<Map<Map<String, String>, Double>>> expectations(
            List<Value> finals, List<Value> lastDay, List<Value> running, List<Value> today,
            Map<List<String>, Integer> deadLetters, Instant windowEnd, Instant at) {
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
        e.put("Invalid records on the results topics / A", result -> {
            assertThat(result.keySet()).containsExactlyInAnyOrder(
                    Map.of("topic", METRICS), Map.of("topic", LIVE), Map.of("topic", DEAD));
            assertThat(result.get(Map.of("topic", LIVE))).isPositive();
            assertThat(result.get(Map.of("topic", METRICS))).isZero();
            assertThat(result.get(Map.of("topic", DEAD))).isZero();
        });
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

    private static List<Map<String, String>> perMetric(List<Value> values) {
        return values.stream().map(Value::metric).distinct().map(m -> Map.of("metric", m))
                .collect(Collectors.toList());
    }

    private static Map<String, String> scrape(MetricsExporter exporter) throws Exception {
        return Exposition.samples(Exposition.scrape(exporter.port()));
    }
}
