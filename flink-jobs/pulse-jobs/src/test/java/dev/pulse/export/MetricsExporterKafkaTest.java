package dev.pulse.export;

import static dev.pulse.export.TestRecords.channel;
import static dev.pulse.export.TestRecords.channelCurrency;
import static dev.pulse.export.TestRecords.channelPlatform;
import static dev.pulse.export.TestRecords.deadLetter;
import static dev.pulse.export.TestRecords.metric;
import static dev.pulse.testing.KafkaTestBroker.abort;
import static dev.pulse.testing.KafkaTestBroker.commit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.model.DeadLetterReason;
import dev.pulse.model.Stream;
import dev.pulse.testing.Exposition;
import dev.pulse.testing.KafkaTestBroker;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The exporter against a real KRaft broker: final values written in committed and aborted transactions (the way
 * the exactly-once sink writes and, on failure, abandons them), running updates, dead letters, and restarts.
 */
@Timeout(180)
class MetricsExporterKafkaTest {
    private static final Instant W1 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(3));
    private static final Instant W2 = W1.plusSeconds(60);
    private static final Instant W3 = W2.plusSeconds(60);

    private static KafkaTestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaTestBroker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void servesCommittedFinalValuesAndNeverAbortedOnes() throws Exception {
        Topics t = Topics.created("committed", 2);
        try (Producer<String, String> sink = broker.transactionalProducer("committed-sink");
             Producer<String, String> live = broker.producer()) {
            // already on the topics when the exporter starts: read back to fill the gauges
            commit(sink, List.of(
                    record(t.metrics, 0, metric("page_views", channelPlatform("organic", "app"), W1, 100, true)),
                    record(t.metrics, 1, metric("orders_paid", channel("organic"), W1, 5, true))));
            abort(sink, List.of(
                    record(t.metrics, 0, metric("page_views", channelPlatform("organic", "app"), W2, 666, true)),
                    record(t.metrics, 1, metric("page_views", channelPlatform("search", "web"), W1, 777, true)),
                    record(t.dead, 0, deadLetter(Stream.AD, DeadLetterReason.WRONG_TYPE))));
            commit(sink, List.of(
                    record(t.dead, 0, deadLetter(Stream.CLICK, DeadLetterReason.MALFORMED_JSON)),
                    record(t.dead, 0, deadLetter(Stream.ORDER, DeadLetterReason.TOO_LATE))));

            try (MetricsExporter exporter = MetricsExporter.start(settings(t))) {
                // written while it runs; each committed batch lands behind an aborted one on the same partitions
                abort(sink, List.of(
                        record(t.metrics, 0, metric("page_views", channelPlatform("organic", "app"), W3, 888, true)),
                        record(t.metrics, 1, metric("orders_paid", channel("organic"), W3, 999, true))));
                commit(sink, List.of(
                        record(t.metrics, 0, metric("orders_created", channel("organic"), W1, 9, true)),
                        record(t.metrics, 1, metric("gmv", channelCurrency("organic", "CNY"), W1, 1999.90, true)),
                        record(t.dead, 0, deadLetter(Stream.AD, DeadLetterReason.MISSING_FIELD))));
                live.send(record(t.live, 0,
                        metric("page_views", channelPlatform("organic", "app"), W2, 12, false))).get();

                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(scrape(exporter))
                        .containsEntry("ecom_orders_created_last_minute{channel=\"organic\"}", "9.0")
                        .containsEntry("ecom_gmv_last_minute{channel=\"organic\",currency=\"CNY\"}", "1999.9")
                        .containsEntry("ecom_page_views_current_minute{channel=\"organic\",platform=\"app\"}", "12.0")
                        .containsEntry("pulse_dead_letters_total{reason=\"missing_field\",stream=\"ad\"}", "1.0"));

                Map<String, String> samples = scrape(exporter);
                assertThat(samples.entrySet().stream().filter(e -> e.getKey().startsWith("ecom_"))
                        .map(e -> e.getKey() + " " + e.getValue())).containsExactly(
                        "ecom_gmv_last_minute{channel=\"organic\",currency=\"CNY\"} 1999.9",
                        "ecom_orders_created_last_minute{channel=\"organic\"} 9.0",
                        "ecom_orders_paid_last_minute{channel=\"organic\"} 5.0",
                        "ecom_page_views_current_minute{channel=\"organic\",platform=\"app\"} 12.0",
                        "ecom_page_views_last_minute{channel=\"organic\",platform=\"app\"} 100.0");
                assertThat(samples)
                        .containsEntry("pulse_dead_letters_total{reason=\"malformed_json\",stream=\"click\"}", "1.0")
                        .containsEntry("pulse_dead_letters_total{reason=\"too_late\",stream=\"order\"}", "1.0")
                        .containsEntry("pulse_dead_letters_total{reason=\"wrong_type\",stream=\"ad\"}", "0.0")
                        // aborted records are not even delivered to a read_committed consumer
                        .containsEntry("pulse_exporter_records_total{topic=\"" + t.metrics + "\"}", "4.0")
                        .containsEntry("pulse_exporter_records_total{topic=\"" + t.live + "\"}", "1.0")
                        .containsEntry("pulse_exporter_records_total{topic=\"" + t.dead + "\"}", "3.0")
                        .containsEntry("pulse_exporter_invalid_records_total{topic=\"" + t.metrics + "\"}", "0.0")
                        .containsEntry("pulse_last_final_window_end_seconds{metric=\"page_views\"}",
                                String.valueOf((double) W2.getEpochSecond()));
                assertThat(samples.values()).doesNotContain("666.0", "777.0", "888.0", "999.0");
                assertThat(samples.keySet()).noneMatch(series -> series.contains("\"search\""));
            }
        }
    }

    @Test
    void aRestartedExporterServesTheSameFinalValuesWithinAScrapeInterval() throws Exception {
        Topics t = Topics.created("restarted", 2);
        try (Producer<String, String> sink = broker.transactionalProducer("restarted-sink")) {
            commit(sink, List.of(
                    record(t.metrics, 0, metric("page_views", channelPlatform("organic", "app"), W1, 100, true)),
                    record(t.metrics, 1, metric("page_views", channelPlatform("organic", "app"), W2, 140, true)),
                    // a late correction of the first minute's orders: the later value is the one served
                    record(t.metrics, 1, metric("orders_paid", channel("organic"), W1, 5, true)),
                    record(t.metrics, 1, metric("orders_paid", channel("organic"), W1, 6, true)),
                    record(t.metrics, 0, metric(MetricDefinition.GMV_DAY, channelCurrency("organic", "CNY"),
                            W1.minus(Duration.ofDays(1)), 52_310.75, true))));
        }
        Map<String, String> before;
        try (MetricsExporter first = MetricsExporter.start(settings(t))) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(finals(first))
                    .containsEntry("ecom_orders_paid_last_minute{channel=\"organic\"}", "6.0")
                    .containsEntry("ecom_page_views_last_minute{channel=\"organic\",platform=\"app\"}", "140.0")
                    .containsEntry("ecom_gmv_last_day{channel=\"organic\",currency=\"CNY\"}", "52310.75"));
            before = finals(first);
        }
        // Prometheus scrapes every 5 s (prometheus/*.yml): the next scrape after a restart finds the same finals
        try (MetricsExporter second = MetricsExporter.start(settings(t))) {
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(finals(second)).isEqualTo(before));
        }
    }

    /**
     * The job writes a window's whole set of final values in one transaction (FinalValueSets); a consumer's polls
     * return it in pieces (at most 500 records each). Scraped all the while, the exporter shows the set whole or
     * not at all: never some series at the new minute beside others still at the old one.
     */
    @Test
    void aWindowsSetOfFinalValuesShowsWholeOrNotAtAll() throws Exception {
        Topics t = Topics.created("sets", 3);
        int series = 4_000;
        try (Producer<String, String> sink = broker.transactionalProducer("sets-sink");
             MetricsExporter exporter = MetricsExporter.start(settings(t))) {
            commit(sink, windowSet(t, series, W1, 1));
            await().atMost(Duration.ofSeconds(60)).until(() -> shownPerValue(exporter).equals(Map.of("1.0", series)));

            AtomicReference<Map<String, Integer>> torn = new AtomicReference<>();
            AtomicInteger scrapes = new AtomicInteger();
            AtomicBoolean done = new AtomicBoolean();
            // a scrape is never cut off midway: a stop flag, not an interrupt
            Thread screen = new Thread(() -> {
                while (!done.get() && torn.get() == null) {
                    try {
                        Map<String, Integer> shown = shownPerValue(exporter);
                        scrapes.incrementAndGet();
                        if (shown.size() > 1) {
                            torn.set(shown);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            screen.start();
            try {
                commit(sink, windowSet(t, series, W2, 2));
                await().atMost(Duration.ofSeconds(60)).until(() -> shownPerValue(exporter).equals(Map.of("2.0",
                        series)));
            } finally {
                done.set(true);
                screen.join();
            }
            assertThat(torn.get()).as("a scrape with part of the window's set").isNull();
            assertThat(scrapes.get()).as("scrapes while the set was read").isPositive();
        }
    }

    /** One minute's page views for {@code series} channels, all with the same value, spread over 3 partitions. */
    private static List<ProducerRecord<String, String>> windowSet(Topics t, int series, Instant window,
                                                                  double value) {
        List<ProducerRecord<String, String>> set = new ArrayList<>();
        for (int i = 0; i < series; i++) {
            set.add(record(t.metrics, i % 3, metric("page_views", channelPlatform("c" + i, "app"), window, value,
                    true)));
        }
        return set;
    }

    /** How many page-view series the exporter shows with each final value. */
    private static Map<String, Integer> shownPerValue(MetricsExporter exporter) throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        scrape(exporter).forEach((name, value) -> {
            if (name.startsWith("ecom_page_views_last_minute{")) {
                counts.merge(value, 1, Integer::sum);
            }
        });
        return counts;
    }

    /** The final values served: the gauges of the latest closed minute and business day. */
    private static Map<String, String> finals(MetricsExporter exporter) throws Exception {
        Map<String, String> finals = new TreeMap<>();
        scrape(exporter).forEach((series, value) -> {
            if (series.startsWith("ecom_") && (series.contains("_last_minute") || series.contains("_last_day"))) {
                finals.put(series, value);
            }
        });
        return finals;
    }

    @Test
    void deadLettersAreCountedOnceAcrossRestartsAndLateTopicsArePickedUp() throws Exception {
        Topics t = new Topics("restart");
        broker.createTopic(t.metrics, 1);
        broker.createTopic(t.dead, 1);
        // the live topic does not exist yet: the job creates its topics on first write
        try (Producer<String, String> sink = broker.transactionalProducer("restart-sink");
             Producer<String, String> live = broker.producer()) {
            commit(sink, List.of(record(t.dead, 0, deadLetter(Stream.CLICK, DeadLetterReason.MALFORMED_JSON)),
                    record(t.dead, 0, deadLetter(Stream.CLICK, DeadLetterReason.MALFORMED_JSON))));
            try (MetricsExporter first = MetricsExporter.start(settings(t))) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(scrape(first)).containsEntry(
                        "pulse_dead_letters_total{reason=\"malformed_json\",stream=\"click\"}", "2.0"));
            }

            commit(sink, List.of(record(t.dead, 0, deadLetter(Stream.CLICK, DeadLetterReason.MALFORMED_JSON)),
                    record(t.dead, 0, deadLetter(Stream.ORDER, DeadLetterReason.UNSUPPORTED_CURRENCY))));
            try (MetricsExporter second = MetricsExporter.start(settings(t))) {
                // a new process counts from 0, resuming where the first one stopped: increase() adds up to 4
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(scrape(second))
                        .containsEntry("pulse_dead_letters_total{reason=\"unsupported_currency\",stream=\"order\"}",
                                "1.0"));

                broker.createTopic(t.live, 1);
                live.send(record(t.live, 0,
                        metric("page_views", channelPlatform("social", "web"), W2, 7, false))).get();
                await().atMost(ResultsConsumer.TOPIC_REFRESH.plusSeconds(30)).untilAsserted(() ->
                        assertThat(scrape(second)).containsEntry(
                                "ecom_page_views_current_minute{channel=\"social\",platform=\"web\"}", "7.0"));

                assertThat(scrape(second))
                        .containsEntry("pulse_dead_letters_total{reason=\"malformed_json\",stream=\"click\"}", "1.0")
                        .containsEntry("pulse_exporter_records_total{topic=\"" + t.dead + "\"}", "2.0");
            }
        }
    }

    private static ExporterSettings settings(Topics t) {
        return new ExporterSettings(broker.bootstrapServers(), t.metrics, t.live, t.dead, "exporter-" + t.metrics,
                "127.0.0.1", 0, ExporterSettings.DEFAULT_STALE_AFTER, ExporterSettings.DEFAULT_MAX_SERIES, Map.of());
    }

    private static Map<String, String> scrape(MetricsExporter exporter) throws Exception {
        return Exposition.samples(Exposition.scrape(exporter.port()));
    }

    private static ProducerRecord<String, String> record(String topic, int partition, String value) {
        return new ProducerRecord<>(topic, partition, null, value);
    }

    /** Topics of one test, so tests sharing the broker do not see each other's records. */
    private static final class Topics {
        final String metrics;
        final String live;
        final String dead;

        Topics(String test) {
            metrics = test + ".metrics";
            live = test + ".metrics.live";
            dead = test + ".dead-letters";
        }

        /** The test's three topics on the broker, the final values' with this many partitions. */
        static Topics created(String test, int metricsPartitions) throws Exception {
            Topics t = new Topics(test);
            broker.createTopic(t.metrics, metricsPartitions);
            broker.createTopic(t.live, 1);
            broker.createTopic(t.dead, 1);
            return t;
        }
    }
}
