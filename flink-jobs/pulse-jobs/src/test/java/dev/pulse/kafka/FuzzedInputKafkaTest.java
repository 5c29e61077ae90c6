package dev.pulse.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.config.PulseSettings;
import dev.pulse.json.Json;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.Stream;
import dev.pulse.pipeline.MetricsJob;
import dev.pulse.testing.CommittedResults;
import dev.pulse.testing.Fuzzer;
import dev.pulse.testing.KafkaTestBroker;
import dev.pulse.testing.KafkaTraffic;
import dev.pulse.testing.TestClusters;
import dev.pulse.testing.ValueDiff;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over 100,000 mutated and malformed events (broken JSON, invalid UTF-8, deep nesting, wrong types, missing
 * fields, unknown types and enum values, huge, negative and tiny numbers, unreadable, far past and far future
 * timestamps, unsupported currencies, oversized payloads) mixed into valid traffic on a real broker, into the
 * running job with RocksDB, checkpoints and exactly-once sinks: every bad event is one dead letter with the reason
 * its mutation calls for, the job never restarts, and every final value equals the recomputation over the valid
 * events alone.
 *
 * <p>The job runs unbounded, as in production: a first part of the valid traffic moves the watermark (so a far-past
 * event is late, not the first event the job sees), then the rest of it comes with the bad events, then one event
 * per partition a day and a half later closes every window of the traffic.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FuzzedInputKafkaTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestClusters.parallelismTwo();

    private static final int BAD_EVENTS = 100_000;
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @Test
    void everyBadEventIsDeadLetteredWithItsReasonAndEveryValidValueStays(@TempDir Path checkpoints)
            throws Exception {
        // recent traffic: a far-future event is one ahead of the wall clock, and the close-out is not
        Instant start = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.HOURS);
        Instant closeOut = start.plus(Duration.ofHours(36));
        try (KafkaTestBroker broker = KafkaTestBroker.start()) {
            PulseSettings settings = PulseSettings.from(Map.of(
                    "pulse.kafka.bootstrap-servers", broker.bootstrapServers(),
                    "pulse.checkpoint.interval", "1 s",
                    "pulse.checkpoint.dir", checkpoints.toUri().toString(),
                    // oversized payloads of a few KB keep the topics small
                    "pulse.input.max-bytes", "4kb",
                    "pulse.parallelism", "2"));
            broker.createTopics(3, settings.clicksTopic, settings.ordersTopic, settings.adsTopic);
            broker.createTopics(2, settings.metricsTopic, settings.liveMetricsTopic, settings.deadLettersTopic,
                    settings.alertsTopic, settings.liveAlertsTopic);

            KafkaTraffic valid = new KafkaTraffic(start, 7);
            List<Fuzzer.Bad> bad = new Fuzzer(7, 5 * 1024).mutateAll(valid.lines(), BAD_EVENTS);

            // the first third of the valid traffic moves the watermark of every stream
            valid.produceSlice(broker, settings, 0, 3);
            JobClient job = start(settings);
            try {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> CommittedResults.names(broker, settings).containsAll(
                                List.of("page_views", "orders_created", "ad_impressions")));

                // the rest with the bad events between its lines, then the close-out on every partition
                produceMixed(broker, settings, valid, bad);
                valid.closeOut(broker, settings, closeOut);

                Map<String, Double> expected = valid.expectedBefore(closeOut, settings.currency, ZONE);
                assertThat(expected).as("values of the valid traffic to compare").hasSizeGreaterThan(500);
                Map<Stream, Map<String, Long>> expectedDeadLetters = countByReason(bad);
                await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    assertThat(deadLetterCounts(broker, settings)).isEqualTo(expectedDeadLetters);
                    ValueDiff.assertSame(ValueDiff.windowsBefore(CommittedResults.finals(broker, settings), closeOut, ZONE),
                            expected);
                });
                assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static JobClient start(PulseSettings settings) throws Exception {
        Configuration conf = MetricsJob.flinkConfiguration(settings);
        // a restart would hide a crash: any failure ends the job, and the test with it
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        MetricsJob.attach(env, settings);
        return env.executeAsync("fuzzed-input-test");
    }

    private static void produceMixed(KafkaTestBroker broker, PulseSettings settings, KafkaTraffic valid,
                                     List<Fuzzer.Bad> bad) throws Exception {
        SplittableRandom random = new SplittableRandom(8);
        for (Stream stream : Stream.values()) {
            // each bad event goes in before a valid line picked at random (or after the last): the valid keep
            // their order
            List<String> rest = valid.from(stream, 1, 3);
            List<List<byte[]>> before = new ArrayList<>();
            for (int i = 0; i <= rest.size(); i++) {
                before.add(new ArrayList<>());
            }
            bad.stream().filter(b -> b.stream() == stream)
                    .forEach(b -> before.get(random.nextInt(rest.size() + 1)).add(b.raw()));
            List<byte[]> mixed = new ArrayList<>();
            for (int i = 0; i <= rest.size(); i++) {
                mixed.addAll(before.get(i));
                if (i < rest.size()) {
                    mixed.add(rest.get(i).getBytes(StandardCharsets.UTF_8));
                }
            }
            broker.produceBytes(KafkaTraffic.topic(settings, stream), mixed);
        }
    }

    /** Dead letters per stream and reason, as the mutations call for them. */
    private static Map<Stream, Map<String, Long>> countByReason(List<Fuzzer.Bad> bad) {
        Map<Stream, Map<String, Long>> counts = new EnumMap<>(Stream.class);
        for (Fuzzer.Bad b : bad) {
            counts.computeIfAbsent(b.stream(), s -> new TreeMap<>()).merge(b.mutation().reason.code(), 1L, Long::sum);
        }
        return counts;
    }

    private static Map<Stream, Map<String, Long>> deadLetterCounts(KafkaTestBroker broker, PulseSettings settings) {
        Map<Stream, Map<String, Long>> counts = new EnumMap<>(Stream.class);
        for (ConsumerRecord<String, String> r : broker.readCommitted(settings.deadLettersTopic)) {
            DeadLetter d = Json.read(r.value(), DeadLetter.class);
            counts.computeIfAbsent(Stream.valueOf(d.stream.toUpperCase(Locale.ROOT)), s -> new TreeMap<>())
                    .merge(d.reason.code(), 1L, Long::sum);
        }
        return counts;
    }
}
