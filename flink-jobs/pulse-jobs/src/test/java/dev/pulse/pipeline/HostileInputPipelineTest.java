package dev.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.config.PulseSettings;
import dev.pulse.ingestion.Ingestion;
import dev.pulse.model.AdEvent;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.MetricRecord;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import dev.pulse.testing.Events;
import dev.pulse.testing.Recompute;
import dev.pulse.testing.TestClusters;
import dev.pulse.testing.ValueDiff;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
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
 * Input meant to stop or blind the job goes through the whole workflow: each hostile line is a dead letter with its
 * reason, the job runs to its end (a bounded run with no restarts: any exception would fail it), and the valid
 * values, the extremes that are still allowed included, equal the recomputation without the hostile lines.
 */
@Timeout(120)
class HostileInputPipelineTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestClusters.parallelismTwo();

    private static final Instant START = Instant.parse("2026-11-10T16:00:00Z");

    @Test
    void hostileLinesAreDeadLetteredAndTheValidValuesStayExact() throws Exception {
        List<String> clickLines = new ArrayList<>();
        List<String> orderLines = new ArrayList<>();
        List<ClickEvent> clicks = new ArrayList<>();
        List<OrderEvent> orders = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            ClickEvent c = Events.pageView("c" + i, START.plusMillis(450L * i), i % 2 == 0 ? "organic" : "search", "app");
            clicks.add(c);
            clickLines.add(Events.json(c));
        }
        for (int i = 0; i < 60; i++) {
            OrderEvent o = Events.order("o" + i, START.plusSeconds(3L * i), i % 3 == 0 ? "created" : "paid",
                    (i + 1) + ".99", "organic");
            orders.add(o);
            orderLines.add(Events.json(o));
        }
        // the largest values still allowed: counted, exactly
        OrderEvent biggest = Events.order("max", START.plusSeconds(30), "paid", "100000000.00", "live_stream");
        biggest.discount = new BigDecimal("100000000");
        biggest.itemCount = 100_000;
        OrderEvent zero = Events.order("zero", START.plusSeconds(31), "paid", "0", "live_stream");
        orders.addAll(List.of(biggest, zero));
        orderLines.add(Events.json(biggest));
        orderLines.add(Events.json(zero));
        // ads: the largest cost allowed, a zero cost and the finest fraction of a cent, all exact
        List<String> adLines = new ArrayList<>();
        List<AdEvent> ads = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ads.add(Events.ad("a" + i, START.plusSeconds(2L * i), AdEvent.IMPRESSION, "imp-" + i, "cmp-1", "cr-1",
                    "ad-user-" + i % 7, "0.064"));
        }
        ads.add(Events.ad("a-max", START.plusSeconds(30), AdEvent.CLICK, "imp-3", "cmp-1", "cr-1", "ad-user-3",
                "100000000"));
        ads.add(Events.ad("a-zero", START.plusSeconds(31), AdEvent.CLICK, "imp-4", "cmp-1", "cr-1", "ad-user-4", "0"));
        ads.add(Events.ad("a-micro", START.plusSeconds(32), AdEvent.IMPRESSION, "imp-micro", "cmp-2", "cr-1",
                "ad-user-5", "0.000001"));
        ads.forEach(a -> adLines.add(Events.json(a)));

        Map<String, String> hostile = new TreeMap<>();
        hostile.put("ad:invalid_value:huge cost", Events.json(Events.ad("h10", START.plusSeconds(5),
                AdEvent.CLICK, "imp-1", "cmp-1", "cr-1", "ad-user-1", "1")).replace("\"cost\":1", "\"cost\":1e19"));
        hostile.put("ad:invalid_value:cost finer than a millionth", Events.json(Events.ad("h11",
                START.plusSeconds(5), AdEvent.CLICK, "imp-1", "cmp-1", "cr-1", "ad-user-1", "0.0000001")));
        hostile.put("order:invalid_value:huge amount", Events.json(
                Events.order("h1", START.plusSeconds(5), "paid", "1", "organic")).replace("\"amount\":1", "\"amount\":1e19"));
        hostile.put("order:invalid_value:huge discount", Events.json(
                Events.order("h2", START.plusSeconds(5), "paid", "1", "organic")).replace("\"discount\":0", "\"discount\":1e300"));
        hostile.put("order:invalid_value:huge item count", Events.json(
                Events.order("h3", START.plusSeconds(5), "paid", "1", "organic")).replace("\"item_count\":1", "\"item_count\":100001"));
        hostile.put("order:invalid_value:item count beyond int", Events.json(
                Events.order("h4", START.plusSeconds(5), "paid", "1", "organic")).replace("\"item_count\":1", "\"item_count\":99999999999"));
        hostile.put("order:future_event_time:a year ahead", Events.json(
                Events.order("h5", Instant.now().plusSeconds(365L * 86_400), "paid", "1", "organic")));
        hostile.put("click:future_event_time:a day ahead", Events.json(
                Events.pageView("h6", Instant.now().plusSeconds(86_400), "organic", "app")));
        hostile.put("click:oversized:64 KiB", Events.json(Events.pageView("h7", START, "organic", "app"))
                .replace("\"page\":\"/p\"", "\"page\":\"/" + "x".repeat(64 * 1024) + "\""));
        hostile.put("click:malformed_json:deeply nested", "{\"event_id\":\"h8\",\"x\":" + "[".repeat(5_000)
                + "]".repeat(5_000) + "}");
        hostile.put("click:invalid_value:not a number", Events.json(Events.pageView("h9", START, "organic", "app"))
                .replace("\"event_time\":\"2026-11-10T16:00:00Z\"", "\"event_time\":\"2026-11-10T16:00:00.0000000000000001Z\""));
        hostile.forEach((what, line) -> (what.startsWith("click") ? clickLines
                : what.startsWith("ad") ? adLines : orderLines).add(line));

        PulseSettings settings = PulseSettings.from(Map.of("pulse.updates.interval", "0 s"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        PulseOutputs outputs = PulseWorkflow.build(new PulseInputs(
                Ingestion.<ClickEvent>parseLines(env.fromData(clickLines, Types.STRING), Stream.CLICK, settings),
                Ingestion.<OrderEvent>parseLines(env.fromData(orderLines, Types.STRING), Stream.ORDER, settings),
                Ingestion.<AdEvent>parseLines(env.fromData(adLines, Types.STRING), Stream.AD, settings)), settings);
        DataStream.Collector<MetricRecord> values = new DataStream.Collector<>();
        DataStream.Collector<DeadLetter> deadLetters = new DataStream.Collector<>();
        outputs.finalValues.collectAsync(values);
        outputs.deadLetters.collectAsync(deadLetters);
        env.execute("hostile-input");

        List<String> reasons = new ArrayList<>();
        try (CloseableIterator<DeadLetter> it = deadLetters.getOutput()) {
            it.forEachRemaining(d -> reasons.add(d.stream + ":" + d.reason.code()));
        }
        assertThat(reasons).containsExactlyInAnyOrderElementsOf(hostile.keySet().stream()
                .map(k -> k.substring(0, k.lastIndexOf(':'))).toList());

        Map<String, Double> actual = new TreeMap<>();
        try (CloseableIterator<MetricRecord> it = values.getOutput()) {
            it.forEachRemaining(m -> actual.put(m.seriesWindowKey(), m.value));
        }
        Map<String, Double> expected = Recompute.all(clicks, orders, ads, "CNY", ZoneId.of("Asia/Shanghai"));
        ValueDiff.assertSame(actual, expected);
        assertThat(actual).containsEntry("gmv/minute{channel=live_stream, currency=CNY}@2026-11-11T00:00:00+08:00",
                100_000_000.0);
        assertThat(actual).containsEntry("ad_spend/minute{campaign=cmp-2, creative=cr-1, currency=CNY, placement=feed}"
                + "@2026-11-11T00:00:00+08:00", 0.000001);
    }
}
