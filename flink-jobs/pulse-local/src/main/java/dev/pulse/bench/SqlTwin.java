package dev.pulse.bench;

import dev.pulse.config.PulseSettings;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamStatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.api.config.OptimizerConfigOptions;

/**
 * The Flink SQL twin of the metrics job: the same metrics from the same topics, as a Flink SQL user would write
 * them. Today: PV per minute by channel and platform; orders created, orders paid and GMV per minute and per
 * business day (a day window in the session time zone, set to the business time zone) by channel; per business
 * day over all channels orders paid, GMV and AOV (GMV / orders paid, one DECIMAL division); net GMV per business day
 * of payment and channel (an updating result: see {@link #NET_GMV_DAY}); UV per minute (by channel and platform, and
 * in total), DAU per day (by platform, and in total) and new users per day, as {@code COUNT(DISTINCT visitor)}, a
 * visitor being the user or else the device; the daily distinct counts in a CUMULATE window with a one-minute step,
 * so that like Pulse it gives "today so far" as the day goes (its last step is the day's value); sessions, bounce
 * rate and average session length per day (see {@link #SESSIONS_DAY}; MAU is not here: see docs/benchmarks.md); per
 * minute and campaign the ads' CTR (clicks / impressions, when it had impressions; a DOUBLE division, as Pulse's),
 * and spend (the exact DECIMAL sum of the counted events' costs) per minute and combination of campaign, creative
 * and placement, as Pulse reports it (see {@link #AD_SPEND}). Like Pulse an impression counts once per visitor and
 * impression id (the first copy to come: keep-first on processing time, as Pulse's {@code AdmitAds} keeps the
 * first to reach it; a later copy is dropped whatever its time, cost or labels) and a click always counts.
 * Like Pulse it drops duplicate event ids within the de-duplication horizon (keep-first on processing time, state
 * TTL = the horizon), uses the same watermark bound, and writes to Kafka exactly-once. Unlike Pulse it does not
 * validate against the JSON Schemas or Pulse's input rules (unreadable rows are skipped; an ad's cost is taken in
 * whatever currency it says), sends no running updates and drops late rows from its windows (net GMV, not
 * windowed, takes them).
 */
final class SqlTwin {
    static final String PAGE_VIEWS = "page-views";
    static final String ORDERS = "orders";
    static final String ORDERS_DAY = "orders-day";
    /** Orders paid, GMV and AOV per business day over all channels. */
    static final String ORDERS_DAY_TOTAL = "orders-day-total";
    /**
     * Net GMV per business day of payment and channel: an order's paid amount less its refunds (never below zero),
     * zero if it was cancelled, credited to the day and channel of its payment. Not a window: a regular GROUP BY
     * order_id, then a GROUP BY day and channel over it, whose rows change as refunds and cancellations come (an
     * upsert-kafka topic keyed by day and channel, whose latest row per key is the value).
     */
    static final String NET_GMV_DAY = "net-gmv-day";
    static final String USERS = "users";
    /**
     * Sessions, bounce rate and average session length per business day of the sessions' last event: a SESSION
     * window per visitor, then a GROUP BY day over the sessions (an updating result, as {@link #NET_GMV_DAY}: a
     * session's day is its last event's, which no window over the sessions' time gives).
     */
    static final String SESSIONS_DAY = "sessions-day";
    /** Impressions, clicks and CTR per minute and campaign, a row only when the campaign had impressions. */
    static final String AD_CTR = "ad-ctr";
    /**
     * Spend per minute and combination of campaign, creative and placement: the grain of Pulse's {@code ad_spend},
     * so each row is compared with one value of Pulse, not with a sum of Pulse's doubles.
     */
    static final String AD_SPEND = "ad-spend";

    /** Every output of the twin, each to a topic of its own, in the order the report lists them. */
    static final List<String> OUTPUTS = List.of(PAGE_VIEWS, ORDERS, ORDERS_DAY, ORDERS_DAY_TOTAL, NET_GMV_DAY, USERS,
            SESSIONS_DAY, AD_CTR, AD_SPEND);
    /** The outputs that are updating results, written to upsert topics: each key's latest row is its value. */
    static final Set<String> UPSERTS = Set.of(NET_GMV_DAY, SESSIONS_DAY);

    /** The catalog's: a session ends after 30 minutes without an event. */
    private static final Duration SESSION_GAP = Duration.ofMinutes(30);
    private static final ConfigOption<Integer> SPLIT_BUCKETS =
            OptimizerConfigOptions.TABLE_OPTIMIZER_DISTINCT_AGG_SPLIT_BUCKET_NUM;
    private static final int SPLIT_BUCKETS_PER_SUBTASK = 2;

    private SqlTwin() {}

    static void attach(StreamExecutionEnvironment env, PulseSettings settings, boolean tuned, RunSpec spec) {
        // Pulse remembers an id for a minute plus the allowed lateness plus the de-duplication horizon
        Duration idTtl = settings.allowedLateness.plusMinutes(1).plus(settings.dedupHorizon);
        StreamTableEnvironment t = tables(env, settings, tuned, idTtl);
        String watermark = watermark(settings);
        t.executeSql("CREATE TABLE clicks (event_id STRING, event_type STRING, channel STRING, platform STRING, "
                + "user_id STRING, device_id STRING, "
                + "event_time TIMESTAMP_LTZ(3), proc AS PROCTIME(), " + watermark + ") WITH ("
                + source(settings, settings.clicksTopic, spec.runId) + ")");
        t.executeSql("CREATE TABLE orders (event_id STRING, order_id STRING, status STRING, amount DECIMAL(18, 2), "
                + "channel STRING, event_time TIMESTAMP_LTZ(3), proc AS PROCTIME(), " + watermark + ") WITH ("
                + source(settings, settings.ordersTopic, spec.runId) + ")");
        t.executeSql("CREATE TABLE out_page_views (window_start TIMESTAMP_LTZ(3), channel STRING, platform STRING, "
                + "page_views BIGINT) WITH (" + sink(settings, spec.sqlTopics.get(PAGE_VIEWS), spec.runId + "-pv") + ")");
        t.executeSql("CREATE TABLE out_orders (window_start TIMESTAMP_LTZ(3), channel STRING, orders_created BIGINT, "
                + "orders_paid BIGINT, gmv DECIMAL(38, 2)) WITH ("
                + sink(settings, spec.sqlTopics.get(ORDERS), spec.runId + "-orders") + ")");
        t.executeSql("CREATE TABLE out_orders_day (window_start TIMESTAMP_LTZ(3), channel STRING, "
                + "orders_created BIGINT, orders_paid BIGINT, gmv DECIMAL(38, 2)) WITH ("
                + sink(settings, spec.sqlTopics.get(ORDERS_DAY), spec.runId + "-orders-day") + ")");
        t.executeSql("CREATE TABLE out_orders_day_total (window_start TIMESTAMP_LTZ(3), orders_paid BIGINT, "
                + "gmv DECIMAL(38, 2), aov DECIMAL(38, 20)) WITH ("
                + sink(settings, spec.sqlTopics.get(ORDERS_DAY_TOTAL), spec.runId + "-orders-day-total") + ")");
        t.executeSql("CREATE TABLE out_net_gmv_day (window_start TIMESTAMP_LTZ(3), channel STRING, "
                + "net_gmv DECIMAL(38, 2), PRIMARY KEY (window_start, channel) NOT ENFORCED) WITH ("
                + upsertSink(settings, spec.sqlTopics.get(NET_GMV_DAY), spec.runId + "-net-gmv-day") + ")");
        t.executeSql("CREATE TABLE out_users (metric STRING, metric_period STRING, window_start TIMESTAMP_LTZ(3), "
                + "window_end TIMESTAMP_LTZ(3), channel STRING, platform STRING, v BIGINT) WITH ("
                + sink(settings, spec.sqlTopics.get(USERS), spec.runId + "-users") + ")");
        t.executeSql("CREATE TABLE out_sessions_day (window_start TIMESTAMP_LTZ(3), sessions BIGINT, "
                + "bounce_rate DOUBLE, session_length DOUBLE, PRIMARY KEY (window_start) NOT ENFORCED) WITH ("
                + upsertSink(settings, spec.sqlTopics.get(SESSIONS_DAY), spec.runId + "-sessions-day") + ")");
        t.executeSql(firstOfEach("unique_clicks", "event_id", "clicks", "event_type, channel, platform, event_time, "
                + "COALESCE('user ' || user_id, 'device ' || device_id) AS visitor"));
        // a session: one visitor's events with gaps under the gap. Flink merges session windows that touch (a gap
        // of exactly 30 minutes would join two), so each event's window is the gap less a millisecond
        t.executeSql("CREATE TEMPORARY VIEW sessions AS SELECT MAX(event_time) AS last_at, "
                + epochMillis("MAX(event_time)") + " - " + epochMillis("MIN(event_time)") + " AS millis, "
                + "COUNT(*) FILTER (WHERE event_type IN ('page_view', 'product_view')) AS page_views "
                + "FROM TABLE(SESSION(TABLE unique_clicks PARTITION BY visitor, DESCRIPTOR(event_time), "
                + minutesToSeconds(SESSION_GAP.minusMillis(1)) + ")) GROUP BY visitor, window_start, window_end");
        t.executeSql(firstOfEach("unique_orders", "event_id", "orders",
                "order_id, status, amount, channel, event_time"));
        // Pulse remembers an order for the correction horizon (beyond the allowed lateness) after its payment's
        // minute; the per-order and per-day aggregations below keep their state that long, not the job-wide TTL.
        // A TTL shorter than the correction horizon would lose an order before its refund comes: the refund would
        // then start a new, unpaid order row (no net GMV), and the day's sum would keep the refunded amount. The
        // bench's refunds come 10 to 60 minutes after payment (OrderLifecycle), well within it. The TTL is in
        // processing time, Pulse's horizon in event time: alike when the job keeps up with real time.
        String orderTtl = millis(settings.correctionHorizon.plus(settings.allowedLateness).plusMinutes(1));
        t.executeSql("CREATE TEMPORARY VIEW order_ledger AS "
                + "SELECT /*+ STATE_TTL('unique_orders' = '" + orderTtl + "') */ order_id, "
                + "MIN(event_time) FILTER (WHERE status = 'paid') AS paid_at, "
                // an order has one channel on all its events; the twin takes its payment's
                + "MAX(channel) FILTER (WHERE status = 'paid') AS paid_channel, "
                + "SUM(amount) FILTER (WHERE status = 'paid') AS paid, "
                + "COALESCE(SUM(amount) FILTER (WHERE status = 'refunded'), 0) AS refunded, "
                + "COUNT(*) FILTER (WHERE status = 'cancelled') > 0 AS cancelled "
                + "FROM unique_orders GROUP BY order_id");

        StreamStatementSet statements = t.createStatementSet();
        statements.addInsertSql("INSERT INTO out_page_views "
                + "SELECT window_start, channel, platform, COUNT(*) "
                + "FROM TABLE(TUMBLE(TABLE unique_clicks, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) "
                + "WHERE event_type IN ('page_view', 'product_view') "
                + "GROUP BY window_start, window_end, channel, platform");
        statements.addInsertSql(ordersPer("out_orders", "MINUTE"));
        statements.addInsertSql(ordersPer("out_orders_day", "DAY"));
        // AOV as exact decimals: DECIMAL(20, 2) / DECIMAL(19, 0) is a DECIMAL(38, 20); SUM's DECIMAL(38, 2) over a
        // BIGINT count would be a DECIMAL(38, 6), six decimals only. It is compared with Pulse's double within a
        // relative tolerance (SqlAgreement.AOV_TOLERANCE, 1e-12), not bit for bit.
        statements.addInsertSql("INSERT INTO out_orders_day_total "
                + "SELECT window_start, COUNT(*), SUM(amount), "
                + "CAST(SUM(amount) AS DECIMAL(20, 2)) / CAST(COUNT(*) AS DECIMAL(19, 0)) "
                + "FROM TABLE(TUMBLE(TABLE unique_orders, DESCRIPTOR(event_time), INTERVAL '1' DAY)) "
                + "WHERE status = 'paid' "
                + "GROUP BY window_start, window_end");
        statements.addInsertSql("INSERT INTO out_net_gmv_day "
                + "SELECT /*+ STATE_TTL('order_ledger' = '" + orderTtl + "') */ FLOOR(paid_at TO DAY), paid_channel, "
                + "SUM(CASE WHEN cancelled THEN 0 ELSE GREATEST(0, paid - refunded) END) "
                + "FROM order_ledger WHERE paid_at IS NOT NULL "
                + "GROUP BY FLOOR(paid_at TO DAY), paid_channel");
        statements.addInsertSql(distinctVisitors("uv", "MINUTE", "channel", "platform", ""));
        statements.addInsertSql(distinctVisitors("uv_total", "MINUTE", null, null, ""));
        statements.addInsertSql(distinctVisitors("dau", "DAY", null, "platform", ""));
        statements.addInsertSql(distinctVisitors("dau_total", "DAY", null, null, ""));
        statements.addInsertSql(distinctVisitors("new_users", "DAY", null, null, "WHERE event_type = 'register' "));
        // doubles divided as Pulse divides them: the same doubles, compared for equality. The day's row lives under
        // the job-wide TTL (processing time): a bench run updates it all along; a day without a session for longer
        // would count from zero again
        statements.addInsertSql("INSERT INTO out_sessions_day SELECT FLOOR(last_at TO DAY), COUNT(*), "
                + "CAST(COUNT(*) FILTER (WHERE page_views = 1) AS DOUBLE) / CAST(COUNT(*) AS DOUBLE), "
                + "CAST(SUM(millis) AS DOUBLE) / CAST(1000 AS DOUBLE) / CAST(COUNT(*) AS DOUBLE) "
                + "FROM sessions GROUP BY FLOOR(last_at TO DAY)");
        statements.attachAsDataStream();
        attachAds(env, settings, tuned, spec, idTtl);
    }

    /**
     * The ads, in a table environment of their own: Pulse remembers a visitor's impression ids for the impression
     * horizon plus the allowed lateness (an hour and more by default), far longer than event ids, and a STATE_TTL
     * hint does not reach a deduplication (only joins and group aggregations). The TTL is in processing time,
     * Pulse's horizon in event time. The ad clicks' event ids are kept that long too, which changes no window: a
     * copy that late is behind the watermark.
     */
    private static void attachAds(StreamExecutionEnvironment env, PulseSettings settings, boolean tuned,
                                  RunSpec spec, Duration idTtl) {
        Duration impressionTtl = settings.adsImpressionHorizon.plus(settings.allowedLateness);
        StreamTableEnvironment t = tables(env, settings, tuned,
                impressionTtl.compareTo(idTtl) > 0 ? impressionTtl : idTtl);
        t.executeSql("CREATE TABLE ads (event_id STRING, kind STRING, impression_id STRING, campaign_id STRING, "
                + "creative_id STRING, placement STRING, user_id STRING, device_id STRING, cost DECIMAL(18, 6), "
                + "event_time TIMESTAMP_LTZ(3), proc AS PROCTIME(), " + watermark(settings) + ") WITH ("
                + source(settings, settings.adsTopic, spec.runId) + ")");
        t.executeSql("CREATE TABLE out_ad_ctr (window_start TIMESTAMP_LTZ(3), campaign STRING, impressions BIGINT, "
                + "clicks BIGINT, ctr DOUBLE) WITH ("
                + sink(settings, spec.sqlTopics.get(AD_CTR), spec.runId + "-ad-ctr") + ")");
        t.executeSql("CREATE TABLE out_ad_spend (window_start TIMESTAMP_LTZ(3), campaign STRING, creative STRING, "
                + "placement STRING, spend DECIMAL(38, 6)) WITH ("
                + sink(settings, spec.sqlTopics.get(AD_SPEND), spec.runId + "-ad-spend") + ")");
        // Each straight from the source, so that copies from one partition come in its order, as to Pulse's
        // admission. An impression's exact copy (same event id) has the same visitor and impression
        // id: the impressions' deduplication drops it, as Pulse's event-id one would.
        String columns = "kind, campaign_id, creative_id, placement, cost, event_time";
        t.executeSql(firstOfEach("counted_impressions", "visitor, impression_id",
                "(SELECT *, COALESCE('user ' || user_id, 'device ' || device_id) AS visitor FROM ads "
                        + "WHERE kind = 'impression')", columns));
        t.executeSql(firstOfEach("counted_ad_clicks", "event_id", "(SELECT * FROM ads WHERE kind = 'click')",
                columns));
        t.executeSql("CREATE TEMPORARY VIEW counted_ads AS "
                + "SELECT * FROM counted_impressions UNION ALL SELECT * FROM counted_ad_clicks");

        StreamStatementSet statements = t.createStatementSet();
        // one division of two doubles, as Pulse's: the same double, compared for equality
        statements.addInsertSql("INSERT INTO out_ad_ctr "
                + "SELECT window_start, campaign_id, impressions, clicks, "
                + "CAST(clicks AS DOUBLE) / CAST(impressions AS DOUBLE) FROM ("
                + "SELECT window_start, campaign_id, COUNT(*) FILTER (WHERE kind = 'impression') AS impressions, "
                + "COUNT(*) FILTER (WHERE kind = 'click') AS clicks "
                + "FROM TABLE(TUMBLE(TABLE counted_ads, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) "
                + "GROUP BY window_start, window_end, campaign_id) WHERE impressions > 0");
        statements.addInsertSql("INSERT INTO out_ad_spend "
                + "SELECT window_start, campaign_id, creative_id, placement, SUM(cost) "
                + "FROM TABLE(TUMBLE(TABLE counted_ads, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) "
                + "GROUP BY window_start, window_end, campaign_id, creative_id, placement");
        statements.attachAsDataStream();
    }

    /** A table environment on the job's, with the twin's settings and this state TTL for all its state. */
    private static StreamTableEnvironment tables(StreamExecutionEnvironment env, PulseSettings settings,
                                                 boolean tuned, Duration stateTtl) {
        StreamTableEnvironment t = StreamTableEnvironment.create(env);
        t.getConfig().set("table.local-time-zone", settings.timeZone.getId());
        t.getConfig().set("table.exec.state.ttl", millis(stateTtl));
        t.getConfig().set("table.exec.source.idle-timeout", millis(settings.idleTimeout));
        t.getConfig().set("table.exec.mini-batch.enabled", Boolean.toString(tuned));
        t.getConfig().set("table.optimizer.distinct-agg.split.enabled", Boolean.toString(tuned));
        if (tuned) {
            // Nexmark's settings
            t.getConfig().set("table.exec.mini-batch.allow-latency", "2 s");
            t.getConfig().set("table.exec.mini-batch.size", "50000");
            // Flink's default of 1,024 buckets suits hundreds of subtasks: here every day window's minute step
            // emits a partial row per bucket, and the twin ran 4.5x slower than with 4 (BENCHMARKS.md). Twice
            // the parallelism spreads each hot key over every subtask and measured fastest; -D still wins
            if (env.getConfiguration().getOptional(SPLIT_BUCKETS).isEmpty()) {
                t.getConfig().set(SPLIT_BUCKETS, SPLIT_BUCKETS_PER_SUBTASK * settings.parallelism);
            }
        }
        return t;
    }

    private static String watermark(PulseSettings settings) {
        return String.format(Locale.ROOT, "WATERMARK FOR event_time AS event_time - INTERVAL '%.3f' SECOND",
                settings.outOfOrderness.toMillis() / 1000.0);
    }

    /**
     * Orders created and paid and GMV per window of the unit and channel; like Pulse, a channel with any order event
     * in the window (a refund or a failed payment only, too) reports them, zeros included.
     */
    private static String ordersPer(String table, String unit) {
        return "INSERT INTO " + table + " SELECT window_start, channel, "
                + "COUNT(*) FILTER (WHERE status = 'created'), COUNT(*) FILTER (WHERE status = 'paid'), "
                + "COALESCE(SUM(amount) FILTER (WHERE status = 'paid'), 0) "
                + "FROM TABLE(TUMBLE(TABLE unique_orders, DESCRIPTOR(event_time), INTERVAL '1' " + unit + ")) "
                + "GROUP BY window_start, window_end, channel";
    }

    /**
     * COUNT(DISTINCT visitor) per window of the unit, grouped by the columns given (null: not grouped): a minute
     * tumbles; a day cumulates minute by minute ("today so far").
     */
    private static String distinctVisitors(String metric, String unit, String channel, String platform,
                                           String where) {
        String groups = (channel == null ? "" : ", channel") + (platform == null ? "" : ", platform");
        String window = unit.equals("DAY")
                ? "CUMULATE(TABLE unique_clicks, DESCRIPTOR(event_time), INTERVAL '1' MINUTE, INTERVAL '1' DAY)"
                : "TUMBLE(TABLE unique_clicks, DESCRIPTOR(event_time), INTERVAL '1' " + unit + ")";
        return "INSERT INTO out_users SELECT '" + metric + "', '" + unit.toLowerCase(Locale.ROOT) + "', window_start, "
                + "window_end, " + (channel == null ? "CAST(NULL AS STRING)" : "channel") + ", "
                + (platform == null ? "CAST(NULL AS STRING)" : "platform") + ", COUNT(DISTINCT visitor) "
                + "FROM TABLE(" + window + ") " + where + "GROUP BY window_start, window_end" + groups;
    }

    /** The first row to come (processing time) of each key, as a view of the columns given. */
    private static String firstOfEach(String view, String key, String table, String columns) {
        return "CREATE TEMPORARY VIEW " + view + " AS SELECT " + columns + " FROM ("
                + "SELECT *, ROW_NUMBER() OVER (PARTITION BY " + key + " ORDER BY proc) AS row_num FROM " + table
                + ") WHERE row_num = 1";
    }

    /**
     * A TIMESTAMP_LTZ's epoch milliseconds, after 1970: Flink 2.2 has no cast to a number, and its
     * {@code TIMESTAMPDIFF(MILLISECOND, ...)} counts whole seconds only (measured), so the seconds since the epoch
     * and the milliseconds of the second.
     */
    private static String epochMillis(String timestamp) {
        return "(CAST(TIMESTAMPDIFF(SECOND, TO_TIMESTAMP_LTZ(0, 3), " + timestamp + ") AS BIGINT) * 1000 + "
                + "EXTRACT(MILLISECOND FROM " + timestamp + "))";
    }

    /** An interval literal to the millisecond: {@code INTERVAL '29:59.999' MINUTE TO SECOND}. */
    private static String minutesToSeconds(Duration d) {
        return String.format(Locale.ROOT, "INTERVAL '%d:%02d.%03d' MINUTE TO SECOND", d.toMinutes(),
                d.toSecondsPart(), d.toMillisPart());
    }

    private static String source(PulseSettings settings, String topic, String runId) {
        return "'connector' = 'kafka', 'topic' = '" + topic + "', "
                + "'properties.bootstrap.servers' = '" + settings.bootstrapServers + "', "
                + "'properties.group.id' = '" + runId + "', "
                + "'properties.isolation.level' = 'read_committed', "
                + "'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', "
                + "'format' = 'json', 'json.ignore-parse-errors' = 'true', "
                + "'json.timestamp-format.standard' = 'ISO-8601'";
    }

    private static String sink(PulseSettings settings, String topic, String transactionalPrefix) {
        return "'connector' = 'kafka', 'topic' = '" + topic + "', "
                + "'properties.bootstrap.servers' = '" + settings.bootstrapServers + "', "
                + "'sink.delivery-guarantee' = 'exactly-once', "
                + "'sink.transactional-id-prefix' = '" + transactionalPrefix + "', "
                + "'properties.transaction.timeout.ms' = '" + settings.transactionTimeout.toMillis() + "', "
                + "'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601', "
                + "'json.encode.decimal-as-plain-number' = 'true'";
    }

    /**
     * An updating sink: each row's key is its primary key (JSON), a changed row replaces the key's last, a deleted
     * one is a tombstone (null value).
     */
    private static String upsertSink(PulseSettings settings, String topic, String transactionalPrefix) {
        return "'connector' = 'upsert-kafka', 'topic' = '" + topic + "', "
                + "'properties.bootstrap.servers' = '" + settings.bootstrapServers + "', "
                + "'sink.delivery-guarantee' = 'exactly-once', "
                + "'sink.transactional-id-prefix' = '" + transactionalPrefix + "', "
                + "'properties.transaction.timeout.ms' = '" + settings.transactionTimeout.toMillis() + "', "
                + "'key.format' = 'json', 'key.json.timestamp-format.standard' = 'ISO-8601', "
                + "'value.format' = 'json', 'value.json.timestamp-format.standard' = 'ISO-8601', "
                + "'value.json.encode.decimal-as-plain-number' = 'true'";
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }
}
