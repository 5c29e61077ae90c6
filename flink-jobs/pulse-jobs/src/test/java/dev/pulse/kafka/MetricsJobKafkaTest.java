package dev.pulse.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.config.PulseSettings;
import dev.pulse.export.ExporterSettings;
import dev.pulse.export.MetricsExporter;
import dev.pulse.json.Json;
import dev.pulse.model.AdEvent;
import dev.pulse.model.AlertRecord;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.MetricRecord;
import dev.pulse.model.OrderEvent;
import dev.pulse.pipeline.MetricsJob;
import dev.pulse.testing.Events;
import dev.pulse.testing.Exposition;
import dev.pulse.testing.KafkaTestBroker;
import dev.pulse.testing.Recompute;
import dev.pulse.testing.TestClusters;
import dev.pulse.testing.ValueDiff;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka job end to end against a real KRaft broker: events in, the job with RocksDB, checkpoints and
 * exactly-once sinks, results read back with read_committed.
 */
@Timeout(180)
class MetricsJobKafkaTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestClusters.parallelismTwo();

    private static final Instant START = Instant.parse("2026-11-10T16:00:00Z");
    private static final String[] CHANNELS = {"organic", "search", "social"};
    private static KafkaTestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaTestBroker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    void countsGoodEventsExactlyOnceAndDeadLettersBadOnesWithoutChangingAnyValue(@TempDir Path checkpoints)
            throws Exception {
        PulseSettings settings = PulseSettings.from(Map.of(
                "pulse.kafka.bootstrap-servers", broker.bootstrapServers(),
                "pulse.updates.interval", "0 s",
                "pulse.checkpoint.interval", "1 s",
                "pulse.checkpoint.dir", checkpoints.toUri().toString(),
                "pulse.parallelism", "2"));
        broker.createTopics(3, settings.clicksTopic, settings.ordersTopic, settings.adsTopic);
        broker.createTopics(2, settings.metricsTopic, settings.liveMetricsTopic, settings.deadLettersTopic,
                settings.alertsTopic, settings.liveAlertsTopic);

        SplittableRandom random = new SplittableRandom(11);
        Map<String, ClickEvent> clicks = new HashMap<>();
        Map<String, OrderEvent> orders = new HashMap<>();
        List<String> clickLines = new ArrayList<>();
        List<String> orderLines = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            ClickEvent c = Events.pageView("c" + i, START.plusMillis(i * 100L + random.nextLong(2_000)),
                    CHANNELS[random.nextInt(3)], random.nextBoolean() ? "app" : "web");
            clicks.put(c.eventId, c);
            clickLines.add(Events.json(c));
            if (i % 100 == 0) {
                clickLines.add(Events.json(c));
            }
        }
        for (int i = 0; i < 300; i++) {
            OrderEvent o = Events.order("o" + i, START.plusMillis(i * 500L + random.nextLong(2_000)),
                    random.nextInt(3) == 0 ? "created" : "paid", random.nextInt(10, 900) + ".5" + random.nextInt(10),
                    CHANNELS[random.nextInt(3)]);
            orders.put(o.eventId, o);
            orderLines.add(Events.json(o));
        }
        // one user's burst: six orders in 25 s, all in one minute (the partitions may deliver them in any order)
        for (int i = 0; i < 6; i++) {
            OrderEvent o = Events.order("burst-" + i, START.plusSeconds(60 + 5L * i), "created", "50.00", "organic");
            o.userId = "burst-user";
            orders.put(o.eventId, o);
            orderLines.add(Events.json(o));
        }
        // ads: impressions (a few sent twice under another event id), clicks, clicks whose impression never comes
        Map<String, AdEvent> ads = new HashMap<>();
        List<String> adLines = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            Instant shown = START.plusMillis(i * 300L + random.nextLong(2_000));
            String campaign = "cmp-" + random.nextInt(3);
            String creative = "cr-" + random.nextInt(2);
            String user = "ad-user-" + random.nextInt(40);
            List<AdEvent> events = new ArrayList<>(List.of(Events.ad("a" + i, shown, AdEvent.IMPRESSION, "imp-" + i,
                    campaign, creative, user, "0.064")));
            if (i % 40 == 0) {
                events.add(Events.ad("a" + i + "-copy", shown, AdEvent.IMPRESSION, "imp-" + i, campaign, creative,
                        user, "0.064"));
            }
            if (i % 5 == 0) {
                events.add(Events.ad("a" + i + "-click", shown.plusSeconds(3), AdEvent.CLICK, "imp-" + i, campaign,
                        creative, user, "1.60"));
            }
            if (i % 70 == 0) {
                events.add(Events.ad("a" + i + "-lost", shown, AdEvent.CLICK, "imp-lost-" + i, campaign, creative,
                        user, "2.15"));
            }
            for (AdEvent a : events) {
                ads.put(a.eventId, a);
                adLines.add(Events.json(a));
            }
        }
        // the bad input of the issue: malformed JSON, a wrong type, a missing field, an unknown event type
        List<String> badClicks = List.of(
                "{not json",
                Events.json(Events.pageView("bad-1", START, "organic", "app")).replace("\"platform\":\"app\",", ""),
                Events.json(Events.pageView("bad-2", START, "organic", "app")).replace("\"page_view\"", "\"teleport\""));
        List<String> badOrders = List.of(
                Events.json(Events.order("bad-3", START, "paid", "10.00", "organic")).replace("\"item_count\":1", "\"item_count\":\"one\""));
        clickLines.addAll(700, badClicks);
        orderLines.addAll(150, badOrders);
        broker.produce(settings.clicksTopic, clickLines);
        broker.produce(settings.ordersTopic, orderLines);
        broker.produce(settings.adsTopic, adLines);

        long before = System.currentTimeMillis();
        Configuration conf = MetricsJob.flinkConfiguration(settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        MetricsJob.attach(env, settings, KafkaInputs.Range.earliestToLatest());
        env.execute("metrics-job-test");

        List<ConsumerRecord<String, String>> results = broker.readCommitted(settings.metricsTopic);
        Map<String, Double> actual = new TreeMap<>();
        for (ConsumerRecord<String, String> r : results) {
            MetricRecord m = Json.read(r.value(), MetricRecord.class);
            assertThat(m.isFinal).isTrue();
            assertThat(actual.put(m.seriesWindowKey(), m.value)).as("exactly once: " + m).isNull();
            assertThat(r.key()).isEqualTo(m.seriesKey());
            assertThat(r.timestamp()).as("written at wall-clock time").isGreaterThanOrEqualTo(before);
        }
        Map<String, Double> expected = Recompute.all(clicks.values(), orders.values(), ads.values(), "CNY",
                java.time.ZoneId.of("Asia/Shanghai"));
        ValueDiff.assertSame(actual, expected);

        List<String> deadLetters = new ArrayList<>();
        for (ConsumerRecord<String, String> r : broker.readCommitted(settings.deadLettersTopic)) {
            DeadLetter d = Json.read(r.value(), DeadLetter.class);
            deadLetters.add(d.stream + ":" + d.reason.code() + ":" + d.raw);
        }
        assertThat(deadLetters).containsExactlyInAnyOrder(
                "click:malformed_json:" + badClicks.get(0),
                "click:missing_field:" + badClicks.get(1),
                "click:unknown_event_type:" + badClicks.get(2),
                "order:wrong_type:" + badOrders.get(0));
        assertThat(broker.readCommitted(settings.liveMetricsTopic)).isEmpty();

        // the burst, once on the exactly-once topic, with the same id on the live one; no user id in clear
        List<AlertRecord> alerts = broker.readCommitted(settings.alertsTopic).stream()
                .map(r -> Json.read(r.value(), AlertRecord.class)).toList();
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.rule).isEqualTo("burst");
            assertThat(a.key).startsWith("user:").doesNotContain("burst-user");
            assertThat(a.evidence.count).isGreaterThanOrEqualTo(5);
            assertThat(Instant.parse(a.firedAt)).isBetween(START.plusSeconds(80), START.plusSeconds(85));
        });
        // the live alert is the same rule on the same user, at once; its window and evidence follow the order the
        // partitions delivered the orders in, so its id may differ from the final one's
        assertThat(broker.readCommitted(settings.liveAlertsTopic).stream()
                .map(r -> Json.read(r.value(), AlertRecord.class)).map(a -> a.rule + " " + a.key).distinct())
                .containsExactly(alerts.get(0).rule + " " + alerts.get(0).key);

        // the exporter serves what the job wrote: dead letters counted by reason, the newest minute as a gauge
        try (MetricsExporter exporter = MetricsExporter.start(ExporterSettings.from(settings).withPort(0))) {
            String lastMinute = results.stream().map(r -> Json.read(r.value(), MetricRecord.class))
                    .filter(m -> m.name.equals("gmv") && m.period.equals("minute")
                            && m.labels.get("channel").equals("search"))
                    .map(m -> m.windowStart).max(Comparator.naturalOrder()).orElseThrow();
            double expectedGmv = expected.get("gmv/minute{channel=search, currency=CNY}@" + lastMinute);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    Exposition.samples(Exposition.scrape(exporter.port())))
                    .containsEntry("pulse_dead_letters_total{reason=\"malformed_json\",stream=\"click\"}", "1.0")
                    .containsEntry("pulse_dead_letters_total{reason=\"missing_field\",stream=\"click\"}", "1.0")
                    .containsEntry("pulse_dead_letters_total{reason=\"unknown_event_type\",stream=\"click\"}", "1.0")
                    .containsEntry("pulse_dead_letters_total{reason=\"wrong_type\",stream=\"order\"}", "1.0")
                    .containsEntry("pulse_dead_letters_total{reason=\"too_late\",stream=\"order\"}", "0.0")
                    .containsEntry("ecom_gmv_last_minute{channel=\"search\",currency=\"CNY\"}",
                            String.valueOf(expectedGmv)));
        }
    }
}
