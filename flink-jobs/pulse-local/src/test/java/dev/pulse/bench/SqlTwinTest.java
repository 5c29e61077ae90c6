package dev.pulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.config.PulseOptions;
import dev.pulse.config.PulseSettings;
import dev.pulse.json.Json;
import dev.pulse.model.AdEvent;
import dev.pulse.model.ClickEvent;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
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
 * per day must be what pulse-jobs' recomputation (which Pulse's own tests equal) gives. And its ads' CTR and spend
 * per minute on a few ad events with the cases the bench's traffic never has, against values worked out by hand.
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

    /**
     * Runs the twin to the end of its input topics (one partition each, the lines in this order: copies come as
     * written) and returns its spec, whose sqlTopics hold what it wrote.
     */
    private static RunSpec runTwin(String run, boolean tuned, Path checkpoints, List<ClickEvent> clickLines,
                                   List<OrderEvent> orderLines, List<AdEvent> adLines) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        options.put(PulseOptions.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers());
        options.put(PulseOptions.CLICKS_TOPIC.key(), run + ".clicks");
        options.put(PulseOptions.ORDERS_TOPIC.key(), run + ".orders");
        options.put(PulseOptions.ADS_TOPIC.key(), run + ".ads");
        options.put(PulseOptions.CHECKPOINT_INTERVAL.key(), "1 s");
        options.put(PulseOptions.CHECKPOINT_DIR.key(), checkpoints.toUri().toString());
        PulseSettings settings = PulseSettings.from(options);
        RunSpec spec = new RunSpec();
        spec.runId = run;
        for (String table : SqlTwin.OUTPUTS) {
            spec.sqlTopics.put(table, run + ".out." + table);
        }
        broker.createTopics(1, settings.clicksTopic, settings.ordersTopic, settings.adsTopic);
        broker.createTopics(1, spec.sqlTopics.values().toArray(String[]::new));
        broker.produce(settings.clicksTopic, clickLines.stream().map(Events::json).toList());
        broker.produce(settings.ordersTopic, orderLines.stream().map(Events::json).toList());
        broker.produce(settings.adsTopic, adLines.stream().map(Events::json).toList());

        Configuration conf = MetricsJob.flinkConfiguration(settings);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        // as a bench run has: the mini-batch window aggregations' buffers are managed memory
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse(spec.managedMemory));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        SqlTwin.attach(env, settings, tuned, spec);
        env.execute("sql-twin-test");
        return spec;
    }

    @ParameterizedTest(name = "tuned = {0}")
    @ValueSource(booleans = {true, false})
    void gmvAovAndNetGmvPerDayAreWhatTheOrdersImply(boolean tuned, @TempDir Path checkpoints) throws Exception {
        RunSpec spec = runTwin(tuned ? "twin-tuned" : "twin-plain", tuned, checkpoints, List.of(), written, List.of());

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

    /**
     * CTR and spend per minute on a few ad events, worked out by hand: a click sent twice (one event id), a second
     * impression event of an impression already counted (another event id, a minute later, another cost), an
     * anonymous visitor's impression and click, a click whose impression never comes, a minute of a campaign with
     * a click only, and an impression nobody clicks.
     */
    @ParameterizedTest(name = "tuned = {0}")
    @ValueSource(booleans = {true, false})
    void adCtrAndSpendCountAnImpressionOnceAndEveryClick(boolean tuned, @TempDir Path checkpoints) throws Exception {
        Instant minuteTwo = DAY_ONE.plusSeconds(60);
        List<AdEvent> ads = new ArrayList<>();
        ads.add(ad("a1", DAY_ONE.plusSeconds(5), "impression", "imp-1", "spring", "cr-1", "feed", "u1", "0.0025"));
        AdEvent click = ad("a2", DAY_ONE.plusSeconds(30), "click", "imp-1", "spring", "cr-1", "feed", "u1", "0.35");
        ads.add(click);
        ads.add(click);
        ads.add(ad("a3", DAY_ONE.plusSeconds(40), "impression", "imp-2", "spring", "cr-2", "home_banner", null,
                "0.001"));
        ads.add(ad("a4", DAY_ONE.plusSeconds(50), "impression", "imp-3", "spring", "cr-1", "feed", "u2", "0.0025"));
        ads.add(ad("a5", minuteTwo.plusSeconds(5), "impression", "imp-1", "spring", "cr-1", "feed", "u1", "0.1"));
        ads.add(ad("a6", minuteTwo.plusSeconds(10), "click", "imp-2", "spring", "cr-2", "home_banner", null, "0.4"));
        ads.add(ad("a7", minuteTwo.plusSeconds(20), "click", "imp-9", "autumn", "cr-9", "search_results", "u3", "1.2"));
        ads.add(ad("a8", minuteTwo.plusSeconds(30), "impression", "imp-4", "autumn", "cr-9", "search_results", "u4",
                "0.003"));
        ads.add(ad("a9", minuteTwo.plusSeconds(40), "impression", "imp-5", "winter", "cr-5", "live_room", "u5",
                "0.002"));
        RunSpec spec = runTwin(tuned ? "twin-ads-tuned" : "twin-ads-plain", tuned, checkpoints, List.of(), List.of(),
                ads);

        Map<String, List<Number>> ctr = new TreeMap<>();
        for (String json : OutputTopics.readAll(broker.bootstrapServers(), Map.of(),
                spec.sqlTopics.get(SqlTwin.AD_CTR))) {
            JsonNode row = Json.MAPPER.readTree(json);
            ctr.put(row.get("window_start").asText() + " " + row.get("campaign").asText(), List.of(
                    row.get("impressions").asLong(), row.get("clicks").asLong(), row.get("ctr").asDouble()));
        }
        Map<String, String> spend = new TreeMap<>();
        for (String json : OutputTopics.readAll(broker.bootstrapServers(), Map.of(),
                spec.sqlTopics.get(SqlTwin.AD_SPEND))) {
            JsonNode row = Json.MAPPER.readTree(json);
            spend.put(row.get("window_start").asText() + " " + row.get("campaign").asText() + "/"
                    + row.get("creative").asText() + "/" + row.get("placement").asText(),
                    row.get("spend").decimalValue().stripTrailingZeros().toPlainString());
        }

        // impressions, clicks, CTR: imp-1 once (a5 is its copy), a2 once; spring's second minute has a click only
        // (no CTR), autumn's click counts without its impression
        assertThat(ctr).isEqualTo(Map.of(
                "2026-11-10T16:00:00Z spring", List.of(3L, 1L, 1.0 / 3),
                "2026-11-10T16:01:00Z autumn", List.of(1L, 1L, 1.0),
                "2026-11-10T16:01:00Z winter", List.of(1L, 0L, 0.0)));
        // spend: the counted impressions' and every click's cost, exact, per campaign, creative and placement
        assertThat(spend).isEqualTo(Map.of(
                "2026-11-10T16:00:00Z spring/cr-1/feed", "0.355", // 0.0025 + 0.35 + 0.0025
                "2026-11-10T16:00:00Z spring/cr-2/home_banner", "0.001",
                "2026-11-10T16:01:00Z spring/cr-2/home_banner", "0.4",
                "2026-11-10T16:01:00Z autumn/cr-9/search_results", "1.203", // 1.2 + 0.003
                "2026-11-10T16:01:00Z winter/cr-5/live_room", "0.002"));
    }

    /**
     * Sessions on clicks the bench's few minutes never have, against pulse-jobs' recomputation: events 29:59.999
     * apart (one session) and exactly 30 minutes apart (two), a session across midnight (the day of its last
     * event), a bounce with a cart event in it, an anonymous visitor's session with milliseconds in its length, a
     * click sent twice.
     */
    @ParameterizedTest(name = "tuned = {0}")
    @ValueSource(booleans = {true, false})
    void sessionsAreWhatTheClicksImply(boolean tuned, @TempDir Path checkpoints) throws Exception {
        List<ClickEvent> clicks = new ArrayList<>();
        clicks.add(click("v1", "c1", DAY_ONE.plus(Duration.ofMinutes(10)), "page_view"));
        clicks.add(click("v3", "c2", DAY_ONE.plus(Duration.ofHours(10)), "page_view"));
        clicks.add(click("v3", "c3", DAY_ONE.plus(Duration.ofHours(10)).plus(Duration.ofMillis(1_799_999)),
                "add_to_cart"));
        clicks.add(click("v3", "c4", DAY_ONE.plus(Duration.ofHours(10)).plus(Duration.ofMillis(3_599_999)),
                "page_view"));
        ClickEvent anonymous = click(null, "c5", DAY_ONE.plus(Duration.ofHours(12)).plusMillis(250), "page_view");
        clicks.add(anonymous);
        clicks.add(anonymous);
        clicks.add(click(null, "c6", DAY_ONE.plus(Duration.ofHours(12)).plusMillis(30_500), "product_view"));
        clicks.add(click("v4", "c7", DAY_ONE.plus(Duration.ofHours(23)).plus(Duration.ofMinutes(50)), "page_view"));
        clicks.add(click("v4", "c8", DAY_ONE.plus(Duration.ofHours(24)).plus(Duration.ofMinutes(10)),
                "product_view"));
        RunSpec spec = runTwin(tuned ? "twin-users-tuned" : "twin-users-plain", tuned, checkpoints, clicks,
                List.of(), List.of());

        Map<String, Double> expected = new TreeMap<>();
        Recompute.users(new LinkedHashSet<>(clicks), SHANGHAI).forEach((key, value) -> {
            if (key.startsWith("sessions/") || key.startsWith("bounce_rate/") || key.startsWith("session_length/")) {
                expected.put(key, value);
            }
        });
        Map<String, Double> twin = new TreeMap<>();
        for (String json : OutputTopics.latestPerKey(OutputTopics.readKeyed(broker.bootstrapServers(), Map.of(),
                spec.sqlTopics.get(SqlTwin.SESSIONS_DAY)))) {
            JsonNode row = Json.MAPPER.readTree(json);
            Instant day = Instant.parse(row.get("window_start").asText());
            for (String metric : List.of("sessions", "bounce_rate", "session_length")) {
                twin.put(Recompute.dayKey(metric, Map.of(), day, SHANGHAI), row.get(metric).asDouble());
            }
        }

        // the cases are there: day one's four sessions (v1, v3 twice, the device), three of them bounces,
        // 1,799.999 + 30.25 s long in all; v4's session on day two
        assertThat(expected).containsEntry("sessions/day{}@2026-11-11T00:00:00+08:00", 4.0)
                .containsEntry("bounce_rate/day{}@2026-11-11T00:00:00+08:00", 0.75)
                .containsEntry("session_length/day{}@2026-11-11T00:00:00+08:00", 1830.249 / 4)
                .containsEntry("sessions/day{}@2026-11-12T00:00:00+08:00", 1.0);
        assertThat(twin).isEqualTo(expected);
    }

    /** A click of the user, or with no user (null) of the anonymous device "device-anonymous". */
    private static ClickEvent click(String user, String id, Instant time, String type) {
        ClickEvent e = Events.click(id, time, type, "organic", "app");
        e.userId = user;
        e.deviceId = user == null ? "device-anonymous" : "device-" + user;
        return e;
    }

    /** An ad event of the user, or with no user (null) of the anonymous device "device-anonymous". */
    private static AdEvent ad(String id, Instant time, String kind, String impression, String campaign,
                              String creative, String placement, String user, String cost) {
        AdEvent e = Events.ad(id, time, kind, impression, campaign, creative, user == null ? "anonymous" : user, cost);
        e.userId = user;
        e.placement = placement;
        return e;
    }
}
