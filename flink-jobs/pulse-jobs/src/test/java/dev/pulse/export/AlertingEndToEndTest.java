package dev.pulse.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.cli.PulseCli;
import dev.pulse.generator.GeneratorSettings;
import dev.pulse.generator.JsonLinesEventWriter;
import dev.pulse.generator.Pacing;
import dev.pulse.generator.TrafficGenerator;
import dev.pulse.json.Json;
import dev.pulse.model.MetricRecord;
import dev.pulse.model.Stream;
import dev.pulse.risk.RiskRule;
import dev.pulse.testing.KafkaTestBroker;
import dev.pulse.testing.RepoFiles;
import dev.pulse.testing.TestClusters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's alert rules, Prometheus config and Alertmanager routing with the real servers: a generated
 * fraud incident, counted by the engine and served by the exporter, reaches the pager (critical rules) and the
 * operations channel (warnings) of a webhook receiver; a promotion that ended 20 minutes ago, backfilled into
 * Prometheus, leaves GMV under half of its moving baseline, and pages nothing; nor does a CTR spike during a
 * promotion announced to the exporter.
 */
@Timeout(300)
class AlertingEndToEndTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestClusters.parallelismTwo();
    private static final String METRICS = "pulse.metrics";
    private static final String LIVE = "pulse.metrics.live";
    private static final String DEAD = "pulse.dead-letters";

    @TempDir
    Path dir;

    @Test
    void anIncidentPagesAndAPromotionDoesNot() throws Exception {
        List<MetricRecord> riskCounts = countIncidents(Instant.now().minus(Duration.ofMinutes(25)));
        Set<String> firedRules = riskCounts.stream().map(r -> r.labels.get("rule")).collect(Collectors.toSet());
        assertThat(firedRules).contains(RiskRule.COUPON_ABUSE.code(), RiskRule.BURST.code());

        Instant now = Instant.now();
        try (WebhookReceiver receiver = new WebhookReceiver();
             KafkaTestBroker broker = KafkaTestBroker.start()) {
            broker.createTopics(1, METRICS, LIVE, DEAD);
            // a second promotion is on now, announced to the exporter
            ExporterSettings settings = new ExporterSettings(broker.bootstrapServers(), METRICS, LIVE, DEAD,
                    "e2e-alerts", "127.0.0.1", 0, ExporterSettings.DEFAULT_STALE_AFTER,
                    ExporterSettings.DEFAULT_MAX_SERIES, Map.of()).withPromotions(new PromotionSchedule(List.of(
                            new PromotionSchedule.Interval(now.minus(Duration.ofMinutes(5)), now.plusSeconds(3600)))));
            try (MetricsExporter exporter = MetricsExporter.start(settings);
                 Producer<String, String> sink = broker.transactionalProducer("e2e-alerts-sink");
                 AlertmanagerServer alertmanager = AlertmanagerServer.start(alertmanagerConfig(receiver), dir)) {
                backfill(now, "127.0.0.1:" + exporter.port());
                List<ProducerRecord<String, String>> records = new ArrayList<>();
                riskCounts.forEach(r -> records.add(new ProducerRecord<>(METRICS, r.seriesKey(), Json.write(r))));
                // the minute just closed: GMV back to its level before the first promotion, and the second one's
                // spike, a campaign's CTR at four times its usual
                Instant minute = now.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1));
                records.add(new ProducerRecord<>(METRICS, TestRecords.metric(MetricDefinition.GMV,
                        Map.of("channel", "organic", "currency", "CNY"), minute, 5000, true)));
                records.add(new ProducerRecord<>(METRICS, TestRecords.metric(MetricDefinition.AD_CTR,
                        Map.of("campaign", "cmp-a"), minute, 0.08, true)));
                records.add(new ProducerRecord<>(METRICS, TestRecords.metric(MetricDefinition.AD_IMPRESSIONS,
                        Map.of("campaign", "cmp-a", "creative", "cr-1", "placement", "feed"), minute, 1000, true)));
                KafkaTestBroker.commit(sink, records);

                try (PrometheusServer prometheus = PrometheusServer.start(
                        prometheusConfig(exporter.port(), alertmanager.address()), dir)) {
                    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                            assertThat(firing(receiver, "/alerts/pager")).contains(RiskRule.COUPON_ABUSE.code()));
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                            assertThat(firing(receiver, "/alerts/ops")).contains(RiskRule.BURST.code()));
                    // the pager only gets the critical rules
                    assertThat(firing(receiver, "/alerts/pager")).allSatisfy(rule ->
                            assertThat(RiskRule.of(rule).defaults().severity().code()).isEqualTo("critical"));

                    // the promotion's aftermath: a drop by the numbers, expected, so nothing pending or sent
                    assertThat(prometheus.query("pulse:promotion:expected", Instant.now()).values())
                            .containsExactly(1.0);
                    assertThat(prometheus.query("pulse:ecom_gmv:sum_last_minute"
                            + " < 0.5 * pulse:ecom_gmv:sum_last_minute:avg1h", Instant.now())).hasSize(1);
                    assertThat(prometheus.query("ALERTS{alertname=~\"PulseGmv.*\"}", Instant.now())).isEmpty();
                    assertThat(receiver.received()).noneSatisfy(a ->
                            assertThat(a.labels().path("alertname").asText()).startsWith("PulseGmv"));
                    // the promotion on now: a CTR spike by the numbers, expected
                    assertThat(prometheus.query("pulse_promotion_active", Instant.now()).values()).contains(1.0);
                    assertThat(prometheus.query("ecom_ad_ctr_ratio_last_minute"
                            + " > 3 * pulse:ecom_ad_ctr:ratio_last_minute:avg1h", Instant.now())).hasSize(1);
                    assertThat(prometheus.query("ALERTS{alertname=\"PulseCtrSpike\"}", Instant.now())).isEmpty();
                    assertThat(receiver.received()).noneSatisfy(a ->
                            assertThat(a.labels().path("alertname").asText()).isEqualTo("PulseCtrSpike"));
                }
            }
        }
    }

    /** The rules that fired, by the alerts received firing at a path. */
    private static Set<String> firing(WebhookReceiver receiver, String path) {
        return receiver.received().stream()
                .filter(a -> a.path().equals(path) && a.status().equals("firing")
                        && a.labels().path("alertname").asText().equals("PulseRiskAlert"))
                .map(a -> a.labels().path("rule").asText()).collect(Collectors.toSet());
    }

    /** Generated fraud through the engine (streaming replay, risk family): its alert counts per minute. */
    private List<MetricRecord> countIncidents(Instant start) throws Exception {
        Path events = Files.createDirectories(dir.resolve("events"));
        GeneratorSettings settings = GeneratorSettings.builder().seed(77).start(start).duration(Duration.ofMinutes(20))
                .sessionsPerMinute(10).fraudIncidentsPerHour(120).pacing(Pacing.fast()).build();
        try (JsonLinesEventWriter writer = new JsonLinesEventWriter(events)) {
            for (TrafficGenerator it = new TrafficGenerator(settings); it.hasNext(); ) {
                writer.write(it.next());
            }
        }
        Path out = dir.resolve("values.jsonl");
        assertThat(PulseCli.commandLine().execute("replay", "--quiet", "--execution", "streaming",
                "--clicks", events.resolve(JsonLinesEventWriter.fileName(Stream.CLICK)).toString(),
                "--orders", events.resolve(JsonLinesEventWriter.fileName(Stream.ORDER)).toString(),
                "--out", out.toString(), "-Dpulse.families=risk")).isZero();
        return Files.readAllLines(out).stream().map(line -> Json.read(line, MetricRecord.class))
                .filter(r -> r.name.equals(MetricDefinition.RISK_ALERTS.recordName())).toList();
    }

    /**
     * Three hours of history in Prometheus' data folder (promtool tsdb create-blocks-from openmetrics), up to 7
     * minutes ago: GMV per minute at 5,000, then 20,000 during an 80-minute promotion announced by the exporter
     * that ended 20 minutes ago, then 5,000 again; a campaign's CTR at 2 % throughout, as the exporter serves it.
     */
    private void backfill(Instant now, String exporter) throws Exception {
        Instant end = now.minus(Duration.ofMinutes(20));
        Instant start = end.minus(Duration.ofMinutes(80));
        String target = "{job=\"pulse-exporter\",instance=\"" + exporter + "\"";
        StringBuilder promotion = new StringBuilder("# TYPE pulse_promotion_active gauge\n");
        StringBuilder gmv = new StringBuilder("# TYPE pulse:ecom_gmv:sum_last_minute gauge\n");
        StringBuilder ctr = new StringBuilder("# TYPE ecom_ad_ctr_ratio_last_minute gauge\n");
        for (Instant t = now.minus(Duration.ofHours(3)); t.isBefore(now.minus(Duration.ofMinutes(7)));
                t = t.plusSeconds(15)) {
            boolean on = !t.isBefore(start) && t.isBefore(end);
            long s = t.getEpochSecond();
            promotion.append("pulse_promotion_active").append(target).append("} ").append(on ? 1 : 0).append(' ')
                    .append(s).append('\n');
            gmv.append("pulse:ecom_gmv:sum_last_minute{currency=\"CNY\"} ").append(on ? 20000 : 5000).append(' ')
                    .append(s).append('\n');
            ctr.append("ecom_ad_ctr_ratio_last_minute").append(target).append(",campaign=\"cmp-a\"} 0.02 ")
                    .append(s).append('\n');
        }
        Path history = dir.resolve("history.om");
        Files.writeString(history, promotion.append(gmv).append(ctr).append("# EOF\n"));
        Process p = new ProcessBuilder(PrometheusServer.promtool().toString(), "tsdb", "create-blocks-from",
                "openmetrics", history.toString(), Files.createDirectories(dir.resolve("data")).toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool backfill:%n%s", output).isZero();
    }

    /** The repository's Alertmanager config, its webhooks sent to the receiver. */
    private Path alertmanagerConfig(WebhookReceiver receiver) throws Exception {
        String config = Files.readString(RepoFiles.resolve("alertmanager/alertmanager.yml"));
        assertThat(config).contains("127.0.0.1:9095");
        Path file = dir.resolve("alertmanager.yml");
        Files.writeString(file, config.replace("127.0.0.1:9095", receiver.address()));
        return file;
    }

    /** The repository's Prometheus config: its rules, the exporter and Alertmanager at their test addresses. */
    private Path prometheusConfig(int exporterPort, String alertmanager) throws Exception {
        String config = Files.readString(RepoFiles.resolve("prometheus/prometheus.yml"));
        assertThat(config).contains("'127.0.0.1:9400'", "'127.0.0.1:9093'", "- rules/");
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, config.replace("'127.0.0.1:9400'", "'127.0.0.1:" + exporterPort + "'")
                .replace("'127.0.0.1:9093'", "'" + alertmanager + "'")
                .replace("- rules/", "- " + RepoFiles.resolve("prometheus/rules") + "/"));
        return file;
    }
}
