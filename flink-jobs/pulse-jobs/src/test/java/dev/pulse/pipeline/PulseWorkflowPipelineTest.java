package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.config.PulseSettings;
import dev.pulse.ingestion.Ingestion;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.DeadLetterReason;
import dev.pulse.model.MetricRecord;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import dev.pulse.testing.Events;
import dev.pulse.testing.Recompute;
import dev.pulse.testing.TestClusters;
import dev.pulse.testing.ValueDiff;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole workflow on a MiniCluster at parallelism 2, fed with bounded in-memory data. */
@Timeout(120)
class PulseWorkflowPipelineTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestClusters.parallelismTwo();

    private static final Instant START = Instant.parse("2026-11-10T16:00:00Z");
    private static final String[] CHANNELS = {"organic", "search", "paid_ads", "live_stream"};
    private static final String[] PLATFORMS = {"app", "web", "mini_program"};

    /** Five minutes of events in order but for up to 3 s of jitter: within the 5 s out-of-orderness, none late. */
    private static Instant roughlyInOrder(int i, int count, SplittableRandom random) {
        return START.plusMillis(5 * 60_000L * i / count + random.nextLong(3_000));
    }

    @Test
    void computesExactPerMinuteValuesAndDeadLettersEverythingItCannotCount() throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        List<String> clickLines = new ArrayList<>();
        List<String> orderLines = new ArrayList<>();
        Map<String, ClickEvent> clicks = new HashMap<>();
        Map<String, OrderEvent> orders = new HashMap<>();
        for (int i = 0; i < 3_000; i++) {
            Instant t = roughlyInOrder(i, 3_000, random);
            String type = random.nextInt(4) == 0 ? "add_to_cart" : random.nextBoolean() ? "page_view" : "product_view";
            ClickEvent c = Events.click("c" + i, t, type, CHANNELS[random.nextInt(CHANNELS.length)],
                    PLATFORMS[random.nextInt(PLATFORMS.length)]);
            clicks.put(c.eventId, c);
            clickLines.add(Events.json(c));
            if (i % 50 == 0) {
                clickLines.add(Events.json(c)); // a duplicate
            }
        }
        String[] statuses = {"created", "paid", "paid", "payment_failed", "refunded", "cancelled"};
        for (int i = 0; i < 600; i++) {
            Instant t = roughlyInOrder(i, 600, random);
            String amount = random.nextInt(1, 500) + "." + String.format("%02d", random.nextInt(100));
            OrderEvent o = Events.order("o" + i, t, statuses[random.nextInt(statuses.length)], amount,
                    CHANNELS[random.nextInt(CHANNELS.length)]);
            orders.put(o.eventId, o);
            orderLines.add(Events.json(o));
            if (i % 40 == 0) {
                orderLines.add(Events.json(o));
            }
        }
        // bad input of every kind
        clickLines.add("{\"event_id\": \"broken");
        clickLines.add(Events.json(Events.pageView("bad-1", START, "organic", "app")).replace("\"device_id\":\"device-bad-1\",", ""));
        clickLines.add(Events.json(Events.pageView("bad-2", START, "organic", "app")).replace("\"page_view\"", "\"teleport\""));
        orderLines.add(Events.json(Events.order("bad-3", START, "paid", "10.00", "organic")).replace("10.00", "\"10.00\""));
        OrderEvent usd = Events.order("bad-4", START, "paid", "10.00", "organic");
        usd.currency = "USD";
        orderLines.add(Events.json(usd));

        PulseSettings settings = PulseSettings.from(Map.of("pulse.updates.interval", "0 s", "pulse.parallelism", "2"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        PulseOutputs outputs = PulseWorkflow.build(new PulseInputs(
                Ingestion.<ClickEvent>parseLines(env.fromData(clickLines, Types.STRING), Stream.CLICK, settings),
                Ingestion.<OrderEvent>parseLines(env.fromData(orderLines, Types.STRING), Stream.ORDER, settings),
                null),
                settings);
        DataStream.Collector<MetricRecord> values = new DataStream.Collector<>();
        DataStream.Collector<DeadLetter> deadLetters = new DataStream.Collector<>();
        outputs.finalValues.collectAsync(values);
        outputs.deadLetters.collectAsync(deadLetters);
        env.execute("workflow-test");

        Map<String, Double> actual = new TreeMap<>();
        try (CloseableIterator<MetricRecord> it = values.getOutput()) {
            it.forEachRemaining(m -> {
                assertThat(m.isFinal).isTrue();
                assertThat(actual.put(m.seriesWindowKey(), m.value)).as("one final value per window").isNull();
            });
        }
        Map<String, Double> expected = Recompute.all(clicks.values(), orders.values(), "CNY", java.time.ZoneId.of("Asia/Shanghai"));
        ValueDiff.assertSame(actual, expected);

        List<String> reasons = new ArrayList<>();
        try (CloseableIterator<DeadLetter> it = deadLetters.getOutput()) {
            it.forEachRemaining(d -> reasons.add(d.stream + ":" + d.reason.code()));
        }
        assertThat(reasons).containsExactlyInAnyOrder(
                "click:" + DeadLetterReason.MALFORMED_JSON.code(), "click:missing_field", "click:unknown_event_type",
                "order:wrong_type", "order:unsupported_currency");
    }
}
