package dev.pulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.config.PulseOptions;
import dev.pulse.config.PulseSettings;
import dev.pulse.json.Json;
import dev.pulse.model.OrderEvent;
import dev.pulse.pipeline.MetricsJob;
import dev.pulse.testing.Events;
import dev.pulse.testing.KafkaTestBroker;
import dev.pulse.testing.Recompute;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SQL twin's money per business day on orders the bench's few minutes of traffic never have: partial and full
 * refunds, refunds of more than was paid, cancellations after payment, a refund on the day after the payment, a
 * channel whose day has a refund only, a repeated event, an average that does not end. Its GMV, AOV and net GMV
 * per day must be what pulse-jobs' recomputation (which Pulse's own tests equal) gives.
 */
@Timeout(300)
class SqlTwinTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** Midnight in Shanghai: the first business day starts here. */
    private static final Instant DAY_ONE = Instant.parse("2026-11-10T16:00:00Z");
    private static final String CURRENCY = PulseOptions.CURRENCY.defaultValue();

    private static KafkaTestBroker broker;
    /** Each event once, as Pulse admits them. */
    private static final List<OrderEvent> orders = new ArrayList<>();
    /** What the topic gets: the same, one of them twice, in event-time order. */
    private static final List<OrderEvent> written = new ArrayList<>();

    @BeforeAll
    static void startBrokerAndWriteOrders() throws Exception {
        broker = KafkaTestBroker.start();
        // partly refunded, and its payment sent twice
        order("a", "organic", 1, "created", "100.00");
        order("a", "organic", 2, "paid", "100.00");
        written.add(orders.get(orders.size() - 1));
        order("a", "organic", 25, "refunded", "30.00");
        // refunded more than paid, in two refunds: nothing left
        order("b", "organic", 3, "created", "200.00");
        order("b", "organic", 4, "paid", "200.00");
        order("b", "organic", 30, "refunded", "150.00");
        order("b", "organic", 50, "refunded", "80.00");
        // cancelled after payment: nothing left
        order("c", "search", 5, "created", "50.55");
        order("c", "search", 6, "paid", "50.55");
        order("c", "search", 12, "cancelled", "50.55");
        // cancelled before payment: no net GMV at all
        order("d", "search", 7, "created", "9.99");
        order("d", "search", 9, "cancelled", "9.99");
        // a failed payment, then a paid one
        order("e", "paid_ads", 8, "created", "20.00");
        order("e", "paid_ads", 8, "payment_failed", "20.00");
        order("e", "paid_ads", 10, "paid", "20.00");
        order("f", "organic", 11, "created", "0.01");
        order("f", "organic", 11, "paid", "0.01");
        // paid a minute before midnight, refunded after it: the refund restates the day of the payment, and is the
        // only order event of live_stream on the second day
        int beforeMidnight = 24 * 60 - 1;
        order("g", "live_stream", beforeMidnight - 3, "created", "88.88");
        order("g", "live_stream", beforeMidnight, "paid", "88.88");
        order("g", "live_stream", beforeMidnight + 40, "refunded", "10.00");
        // the second day: 100.00 over three orders paid, an AOV that does not end
        order("h", "social", beforeMidnight + 20, "created", "33.33");
        order("h", "social", beforeMidnight + 21, "paid", "33.33");
        order("i", "social", beforeMidnight + 22, "created", "33.33");
        order("i", "social", beforeMidnight + 23, "paid", "33.33");
        order("j", "social", beforeMidnight + 24, "created", "33.34");
        order("j", "social", beforeMidnight + 25, "paid", "33.34");
        written.sort(Comparator.comparing((OrderEvent e) -> e.eventTime));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    /** An order event at the minute (from the first midnight), plus as many seconds as events came before it. */
    private static void order(String order, String channel, int minute, String status, String amount) {
        OrderEvent e = Events.order(order + orders.size(), DAY_ONE.plus(Duration.ofMinutes(minute))
                .plusSeconds(orders.size()), status, amount, channel);
        e.orderId = "order-" + order;
        e.userId = "user-" + order;
        orders.add(e);
        written.add(e);
    }

    @ParameterizedTest(name = "tuned = {0}")
    @ValueSource(booleans = {true, false})
    void gmvAovAndNetGmvPerDayAreWhatTheOrdersImply(boolean tuned, @TempDir Path checkpoints) throws Exception {
        String run = tuned ? "twin-tuned" : "twin-plain";
        Map<String, String> options = new LinkedHashMap<>();
        options.put(PulseOptions.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers());
        options.put(PulseOptions.CLICKS_TOPIC.key(), run + ".clicks");
        options.put(PulseOptions.ORDERS_TOPIC.key(), run + ".orders");
        options.put(PulseOptions.CHECKPOINT_INTERVAL.key(), "1 s");
        options.put(PulseOptions.CHECKPOINT_DIR.key(), checkpoints.toUri().toString());
        PulseSettings settings = PulseSettings.from(options);
        RunSpec spec = new RunSpec();
        spec.runId = run;
        for (String table : List.of(SqlTwin.PAGE_VIEWS, SqlTwin.ORDERS, SqlTwin.ORDERS_DAY, SqlTwin.ORDERS_DAY_TOTAL,
                SqlTwin.NET_GMV_DAY, SqlTwin.USERS)) {
            spec.sqlTopics.put(table, run + ".out." + table);
        }
        broker.createTopics(1, settings.clicksTopic, settings.ordersTopic);
        broker.createTopics(1, spec.sqlTopics.values().toArray(String[]::new));
        broker.produce(settings.ordersTopic, written.stream().map(Events::json).toList());

        Configuration conf = MetricsJob.flinkConfiguration(settings);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        SqlTwin.attach(env, settings, tuned, spec);
        env.execute("sql-twin-test");

        Map<String, Double> expected = new TreeMap<>();
        Recompute.ordersPerDay(orders, CURRENCY, SHANGHAI).forEach((key, value) -> {
            if (key.startsWith("orders_created/") || key.startsWith("orders_paid/") || key.startsWith("gmv/")
                    || key.startsWith("aov/") || key.startsWith("net_gmv/")) {
                expected.put(key, value);
            }
        });
        Map<String, Double> twin = new TreeMap<>();
        Map<String, BigDecimal> twinAov = new TreeMap<>();
        for (String json : OutputTopics.readAll(broker.bootstrapServers(), Map.of(),
                spec.sqlTopics.get(SqlTwin.ORDERS_DAY))) {
            JsonNode row = Json.MAPPER.readTree(json);
            Instant day = Instant.parse(row.get("window_start").asText());
            String channel = row.get("channel").asText();
            twin.put(Recompute.dayKey("orders_created", Map.of("channel", channel), day, SHANGHAI),
                    row.get("orders_created").asDouble());
            twin.put(Recompute.dayKey("orders_paid", Map.of("channel", channel), day, SHANGHAI),
                    row.get("orders_paid").asDouble());
            twin.put(Recompute.dayKey("gmv", Map.of("channel", channel, "currency", CURRENCY), day, SHANGHAI),
                    row.get("gmv").decimalValue().doubleValue());
        }
        for (String json : OutputTopics.readAll(broker.bootstrapServers(), Map.of(),
                spec.sqlTopics.get(SqlTwin.ORDERS_DAY_TOTAL))) {
            JsonNode row = Json.MAPPER.readTree(json);
            twinAov.put(Recompute.dayKey("aov", Map.of("currency", CURRENCY),
                    Instant.parse(row.get("window_start").asText()), SHANGHAI), row.get("aov").decimalValue());
        }
        List<OutputTopics.KeyedValue> changes = OutputTopics.readKeyed(broker.bootstrapServers(), Map.of(),
                spec.sqlTopics.get(SqlTwin.NET_GMV_DAY));
        for (String json : OutputTopics.latestPerKey(changes)) {
            JsonNode row = Json.MAPPER.readTree(json);
            twin.put(Recompute.dayKey("net_gmv", Map.of("channel", row.get("channel").asText(), "currency", CURRENCY),
                    Instant.parse(row.get("window_start").asText()), SHANGHAI), row.get("net_gmv").decimalValue()
                    .doubleValue());
        }

        // the cases above are there: two days, restated net GMV, a refund-only channel day
        assertThat(expected).containsEntry("net_gmv/day{channel=organic, currency=CNY}@2026-11-11T00:00:00+08:00",
                70.01).containsEntry("net_gmv/day{channel=live_stream, currency=CNY}@2026-11-11T00:00:00+08:00",
                78.88).containsEntry("gmv/day{channel=live_stream, currency=CNY}@2026-11-12T00:00:00+08:00", 0.0);
        Map<String, Double> expectedAov = new TreeMap<>();
        expected.forEach((key, value) -> {
            if (key.startsWith("aov/")) {
                expectedAov.put(key, value);
            }
        });
        expected.keySet().removeAll(expectedAov.keySet());
        assertThat(twin).isEqualTo(expected);
        assertThat(twinAov.keySet()).isEqualTo(expectedAov.keySet());
        twinAov.forEach((key, sql) -> assertThat(SqlAgreement.withinTolerance(expectedAov.get(key), sql))
                .as(key + ": SQL " + sql + ", recomputed " + expectedAov.get(key)).isTrue());
        assertThat(twinAov.get("aov/day{currency=CNY}@2026-11-12T00:00:00+08:00"))
                .isEqualByComparingTo("33.33333333333333333333");
        if (!tuned) {
            // a refund changes the row of its payment's day: more records than rows (mini-batch may fold them)
            assertThat(changes.size()).isGreaterThan(OutputTopics.latestPerKey(changes).size());
        }
    }
}
