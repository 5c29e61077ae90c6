package dev.pulse.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.cli.PulseCli;
import dev.pulse.generator.GeneratedEvent;
import dev.pulse.generator.GeneratorSettings;
import dev.pulse.generator.JsonLinesEventWriter;
import dev.pulse.generator.Pacing;
import dev.pulse.generator.Promotion;
import dev.pulse.generator.TrafficGenerator;
import dev.pulse.json.Json;
import dev.pulse.model.AdEvent;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.DeadLetterReason;
import dev.pulse.model.MetricRecord;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import dev.pulse.testing.KafkaTestBroker;
import dev.pulse.testing.Recompute;
import dev.pulse.testing.TestClusters;
import dev.pulse.testing.ValueDiff;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated traffic with late, very late, out-of-order, duplicate and malformed events (and fraud), from 2017 so
 * that "years ago" is covered, through {@code pulse replay}: every PV, orders and GMV value must equal a
 * straightforward recomputation over the same events.
 */
@Timeout(300)
class ReplayReconciliationTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestClusters.parallelismTwo();

    @TempDir
    static Path dir;
    private static final List<GeneratedEvent> EVENTS = new ArrayList<>();

    @BeforeAll
    static void generate() throws Exception {
        GeneratorSettings settings = GeneratorSettings.builder()
                .seed(2017)
                .start(Instant.parse("2017-11-24T16:00:00Z")) // 2017-11-25 00:00 in Shanghai
                .duration(Duration.ofMinutes(20))
                .sessionsPerMinute(150)
                .promotion(new Promotion(Duration.ofMinutes(8), Duration.ofMinutes(3), 10))
                .lateRate(0.02).veryLateRate(0.01).outOfOrderRate(0.05).duplicateRate(0.02).malformedRate(0.01)
                .fraudIncidentsPerHour(90)
                .pacing(Pacing.fast())
                .build();
        EVENTS.addAll(generate(settings, dir));
        // the generator really produced the disorder this test is about
        Map<String, Long> labels = EVENTS.stream().filter(e -> e.label() != null)
                .collect(Collectors.groupingBy(e -> e.label().replaceAll(":.*", ""), Collectors.counting()));
        assertThat(labels).containsKeys("late", "very_late", "out_of_order", "duplicate", "malformed", "fraud");
    }

    @Test
    void batchReplayEqualsTheRecomputationExactly() throws Exception {
        Path out = dir.resolve("batch.jsonl");
        assertThat(replay("--execution", "batch", "--out", out.toString())).isZero();
        Map<String, Double> values = values(out);
        ValueDiff.assertSame(values, recompute(EVENTS, Set.of()));
        // the catalog's healthy shop: attributed GMV about three times the spend over all campaigns
        double attributed = sumOf(values, "ad_attributed_gmv/day");
        double spend = sumOf(values, "ad_spend/day");
        assertThat(attributed / spend).isBetween(2.5, 3.5);
    }

    private static double sumOf(Map<String, Double> values, String prefix) {
        return values.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    @Test
    void streamingReplayEqualsTheRecomputationLessWhatItDeadLetteredAsTooLate() throws Exception {
        Path out = dir.resolve("streaming.jsonl");
        Path deadLetters = dir.resolve("streaming-dead-letters.jsonl");
        assertThat(replay("--execution", "streaming", "--out", out.toString(),
                "--dead-letters", deadLetters.toString())).isZero();

        List<DeadLetter> letters = Files.readAllLines(deadLetters).stream()
                .map(line -> Json.read(line, DeadLetter.class)).collect(Collectors.toList());
        Set<String> tooLate = tooLate(letters);
        // only events the generator sent hours late may be too late; nothing in time is ever dropped
        Set<String> veryLate = EVENTS.stream().filter(e -> "very_late".equals(e.label()))
                .map(GeneratedEvent::eventId).collect(Collectors.toSet());
        assertThat(veryLate).containsAll(tooLate);
        ValueDiff.assertSame(values(out), recompute(EVENTS, tooLate));
        // every malformed line is a dead letter, once
        long malformed = EVENTS.stream().filter(e -> e.label() != null && e.label().startsWith("malformed")).count();
        assertThat(letters.stream().filter(d -> d.reason != DeadLetterReason.TOO_LATE)).hasSize((int) malformed);
    }

    @Test
    void replayOfClicksAloneGivesTheClickMetrics() throws Exception {
        Path out = dir.resolve("clicks-only.jsonl");
        assertThat(replay(List.of("--clicks", dir.resolve(JsonLinesEventWriter.fileName(Stream.CLICK)).toString(),
                "--out", out.toString()))).isZero();
        Map<String, Double> clickMetrics = new TreeMap<>(recompute(EVENTS, Set.of()));
        // what needs orders: the orders family, the funnel, visit-to-order conversion, risk; what needs ads
        clickMetrics.keySet().removeIf(key -> key.matches("^(orders_|gmv|net_gmv|payments_failed|refund|cancel|aov"
                + "|payment_success|paying_users|repurchase|visit_to_order|funnel|ad_|risk_).*"));
        ValueDiff.assertSame(values(out), clickMetrics);
    }

    @Test
    void replayOfAKafkaTimeRangeEqualsTheRecomputation() throws Exception {
        try (KafkaTestBroker broker = KafkaTestBroker.start()) {
            broker.createTopics(3, "pulse.clicks", "pulse.orders", "pulse.ads");
            for (Stream stream : Stream.values()) {
                broker.produce("pulse." + (stream == Stream.CLICK ? "clicks" : stream == Stream.ORDER ? "orders" : "ads"),
                        Files.readAllLines(dir.resolve(JsonLinesEventWriter.fileName(stream))));
            }
            Path out = dir.resolve("kafka.jsonl");
            assertThat(replay(List.of("--from-kafka", "--to", Instant.now().plusSeconds(60).toString(),
                    "-Dpulse.kafka.bootstrap-servers=" + broker.bootstrapServers(), "--out", out.toString()))).isZero();
            ValueDiff.assertSame(values(out), recompute(EVENTS, Set.of()));
        }
    }

    /** Writes the generator's events to files in the directory, as replay reads them, and returns them. */
    static List<GeneratedEvent> generate(GeneratorSettings settings, Path dir) throws Exception {
        List<GeneratedEvent> events = new ArrayList<>();
        try (JsonLinesEventWriter writer = new JsonLinesEventWriter(dir)) {
            for (TrafficGenerator it = new TrafficGenerator(settings); it.hasNext(); ) {
                GeneratedEvent e = it.next();
                events.add(e);
                writer.write(e);
            }
        }
        return events;
    }

    private static int replay(String... options) {
        return replay(dir, options);
    }

    /** Replays the generator's files in the directory with these options. */
    static int replay(Path dir, String... options) {
        List<String> args = new ArrayList<>(List.of(
                "--clicks", dir.resolve(JsonLinesEventWriter.fileName(Stream.CLICK)).toString(),
                "--orders", dir.resolve(JsonLinesEventWriter.fileName(Stream.ORDER)).toString(),
                "--ads", dir.resolve(JsonLinesEventWriter.fileName(Stream.AD)).toString()));
        args.addAll(List.of(options));
        return replay(args);
    }

    static int replay(List<String> options) {
        List<String> args = new ArrayList<>(List.of("replay", "--quiet"));
        args.addAll(options);
        return PulseCli.commandLine().execute(args.toArray(String[]::new));
    }

    /** The replay's output as series@window -> value; each window exactly once. */
    static Map<String, Double> values(Path out) throws Exception {
        Map<String, Double> values = new TreeMap<>();
        for (String line : Files.readAllLines(out)) {
            MetricRecord m = Json.read(line, MetricRecord.class);
            assertThat(m.isFinal).isTrue();
            assertThat(values.put(m.seriesWindowKey(), m.value)).as("one value per window: " + m).isNull();
        }
        assertThat(values).isNotEmpty();
        return values;
    }

    /** The ids of the events dead-lettered as too late. */
    static Set<String> tooLate(List<DeadLetter> letters) {
        return letters.stream().filter(d -> d.reason == DeadLetterReason.TOO_LATE)
                .map(d -> Json.MAPPER.valueToTree(Json.read(d.raw, Map.class)).get("event_id").asText())
                .collect(Collectors.toSet());
    }

    /** Plain recomputation: every generated event that is well-formed, once per event id, less the excluded. */
    static Map<String, Double> recompute(List<GeneratedEvent> events, Set<String> excluded) {
        Map<String, ClickEvent> clicks = new LinkedHashMap<>();
        Map<String, OrderEvent> orders = new LinkedHashMap<>();
        Map<String, AdEvent> ads = new LinkedHashMap<>();
        for (GeneratedEvent e : events) {
            if ((e.label() != null && e.label().startsWith("malformed")) || excluded.contains(e.eventId())) {
                continue;
            }
            if (e.stream() == Stream.CLICK) {
                clicks.putIfAbsent(e.eventId(), Json.read(e.json(), ClickEvent.class));
            } else if (e.stream() == Stream.ORDER) {
                orders.putIfAbsent(e.eventId(), Json.read(e.json(), OrderEvent.class));
            } else if (e.stream() == Stream.AD) {
                ads.putIfAbsent(e.eventId(), Json.read(e.json(), AdEvent.class));
            }
        }
        Map<String, Double> expected = Recompute.all(clicks.values(), orders.values(), ads.values(), "CNY",
                java.time.ZoneId.of("Asia/Shanghai"));
        return expected;
    }
}
