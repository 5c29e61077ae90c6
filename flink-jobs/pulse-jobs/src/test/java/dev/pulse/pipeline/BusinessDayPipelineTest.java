package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.config.PulseSettings;
import dev.pulse.generator.GeneratedEvent;
import dev.pulse.generator.GeneratorSettings;
import dev.pulse.generator.TrafficGenerator;
import dev.pulse.ingestion.Ingestion;
import dev.pulse.json.Json;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.MetricRecord;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import dev.pulse.testing.Recompute;
import dev.pulse.testing.TestClusters;
import dev.pulse.testing.ValueDiff;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Orders and GMV per minute and per business day in a time zone with daylight saving (Europe/Berlin), over
 * generated traffic with late, out-of-order and duplicate events: across two midnights and both changes of the
 * clock in 2026 (the last Sundays of March and October). Every value equals a plain recomputation.
 */
@Timeout(240)
class BusinessDayPipelineTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestClusters.parallelismTwo();

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** Local starts of half-hour spans: a midnight, the spring change (02:00 -> 03:00), the autumn change, a midnight. */
    private static final List<String> SPANS = List.of("2026-03-28T23:45", "2026-03-29T01:45", "2026-10-25T02:45",
            "2026-10-25T23:45");

    @Test
    void dailyAndMinuteValuesEqualTheRecomputationAcrossMidnightsAndClockChanges() throws Exception {
        List<String> lines = new ArrayList<>();
        Map<String, OrderEvent> unique = new HashMap<>();
        int seed = 1;
        for (String span : SPANS) {
            GeneratorSettings generator = GeneratorSettings.builder()
                    .seed(seed++)
                    .start(LocalDateTime.parse(span).atZone(BERLIN).toInstant())
                    .duration(Duration.ofMinutes(30))
                    .sessionsPerMinute(1_500)
                    .lateRate(0.03).outOfOrderRate(0.05).duplicateRate(0.03)
                    .build();
            for (TrafficGenerator it = new TrafficGenerator(generator); it.hasNext(); ) {
                GeneratedEvent e = it.next();
                if (e.stream() == Stream.ORDER) {
                    lines.add(e.json());
                    unique.putIfAbsent(e.eventId(), Json.read(e.json(), OrderEvent.class));
                }
            }
        }
        assertThat(lines.size()).as("duplicates were sent").isGreaterThan(unique.size());

        PulseSettings settings = PulseSettings.from(Map.of("pulse.time-zone", BERLIN.getId(),
                "pulse.families", "orders", "pulse.updates.interval", "0 s"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        PulseOutputs outputs = PulseWorkflow.build(new PulseInputs(null,
                Ingestion.<OrderEvent>parseLines(env.fromData(lines, Types.STRING), Stream.ORDER, settings), null),
                settings);
        DataStream.Collector<MetricRecord> values = new DataStream.Collector<>();
        DataStream.Collector<DeadLetter> deadLetters = new DataStream.Collector<>();
        outputs.finalValues.collectAsync(values);
        outputs.deadLetters.collectAsync(deadLetters);
        env.execute("business-days");

        Map<String, Double> actual = new TreeMap<>();
        try (CloseableIterator<MetricRecord> it = values.getOutput()) {
            // a late event within the lateness corrects a final value: the last one of a window counts
            it.forEachRemaining(m -> actual.put(m.seriesWindowKey(), m.value));
        }
        try (CloseableIterator<DeadLetter> it = deadLetters.getOutput()) {
            assertThat(it.hasNext()).as("nothing the generator sent is too late or invalid").isFalse();
        }
        Map<String, Double> expected = new TreeMap<>(Recompute.orders(unique.values(), "CNY", BERLIN));
        expected.putAll(Recompute.ordersPerDay(unique.values(), "CNY", BERLIN));
        ValueDiff.assertSame(actual, expected);
        // the spans cover four business days, the 23-hour and the 25-hour ones included
        assertThat(actual.keySet().stream().filter(k -> k.startsWith("orders_paid/day")).map(k -> k.replaceAll(".*@", ""))
                .distinct())
                .containsExactlyInAnyOrder("2026-03-28T00:00:00+01:00", "2026-03-29T00:00:00+01:00",
                        "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00");
    }
}
