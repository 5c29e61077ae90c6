package dev.pulse.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;

/**
 * Every Pulse setting, typed, with its default and description. Set them with {@code -Dkey=value} on the
 * command line, in a properties file ({@code --config}), or in the Flink configuration of a cluster.
 * docs/configuration.md lists them; a test keeps that page and this class in step.
 */
public final class PulseOptions {
    private PulseOptions() {}

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = key("pulse.kafka.bootstrap-servers")
            .stringType().defaultValue("127.0.0.1:9092")
            .withDescription("Kafka bootstrap servers for every topic Pulse reads and writes.");

    public static final ConfigOption<String> GROUP_ID = key("pulse.kafka.group-id")
            .stringType().defaultValue("pulse-metrics")
            .withDescription("Consumer group of the metrics job (offsets are also kept in Flink checkpoints).");

    public static final ConfigOption<String> STARTING_OFFSETS = key("pulse.kafka.starting-offsets")
            .stringType().defaultValue("committed-or-earliest")
            .withDescription("Where a job without a checkpoint starts: committed-or-earliest, earliest or latest.");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = key("pulse.kafka.transaction-timeout")
            .durationType().defaultValue(Duration.ofMinutes(10))
            .withDescription("Kafka transaction timeout of the exactly-once sink; at most the broker's "
                    + "transaction.max.timeout.ms (15 min by default) and longer than a checkpoint.");

    public static final ConfigOption<String> CLICKS_TOPIC = key("pulse.topics.clicks")
            .stringType().defaultValue("pulse.clicks").withDescription("Input topic of click events.");
    public static final ConfigOption<String> ORDERS_TOPIC = key("pulse.topics.orders")
            .stringType().defaultValue("pulse.orders").withDescription("Input topic of order events.");
    public static final ConfigOption<String> ADS_TOPIC = key("pulse.topics.ads")
            .stringType().defaultValue("pulse.ads").withDescription("Input topic of ad events.");
    public static final ConfigOption<String> METRICS_TOPIC = key("pulse.topics.metrics")
            .stringType().defaultValue("pulse.metrics")
            .withDescription("Final metric values, written exactly-once (read with read_committed).");
    public static final ConfigOption<String> LIVE_METRICS_TOPIC = key("pulse.topics.metrics-live")
            .stringType().defaultValue("pulse.metrics.live")
            .withDescription("Running updates of open windows, written at-least-once so they are visible at once.");
    public static final ConfigOption<String> DEAD_LETTERS_TOPIC = key("pulse.topics.dead-letters")
            .stringType().defaultValue("pulse.dead-letters")
            .withDescription("Events that could not be counted, with the reason (written exactly-once).");
    public static final ConfigOption<String> ALERTS_TOPIC = key("pulse.topics.alerts")
            .stringType().defaultValue("pulse.alerts").withDescription("Alert records of the risk rules, written exactly-once (at checkpoints).");

    public static final ConfigOption<String> TIME_ZONE = key("pulse.time-zone")
            .stringType().defaultValue("Asia/Shanghai")
            .withDescription("Time zone of the business day; window bounds are written with its offset.");

    public static final ConfigOption<String> CURRENCY = key("pulse.currency")
            .stringType().defaultValue("CNY")
            .withDescription("Reporting currency (ISO 4217). Money in another currency is dead-lettered as "
                    + "unsupported_currency: Pulse does no currency conversion.");

    public static final ConfigOption<Duration> MAX_FUTURE = key("pulse.event-time.max-future")
            .durationType().defaultValue(Duration.ofMinutes(5))
            .withDescription("An event dated further than this ahead of the wall clock is dead-lettered as "
                    + "future_event_time: it would move the watermark and make every later event too late.");

    public static final ConfigOption<MemorySize> MAX_EVENT_BYTES = key("pulse.input.max-bytes")
            .memoryType().defaultValue(MemorySize.parse("32kb"))
            .withDescription("An input record larger than this is dead-lettered as oversized, unread.");

    public static final ConfigOption<Double> MAX_AMOUNT = key("pulse.input.max-amount")
            .doubleType().defaultValue(100_000_000d)
            .withDescription("Largest order amount, discount or ad cost an event may carry (reporting currency); "
                    + "larger values are dead-lettered as invalid_value, so no sum can overflow. Ad costs, added up "
                    + "in millionths, are bounded by at most 1.0E8 whatever this says.");

    public static final ConfigOption<Integer> MAX_ITEM_COUNT = key("pulse.input.max-item-count")
            .intType().defaultValue(100_000)
            .withDescription("Largest item count an order may carry; larger ones are dead-lettered as invalid_value.");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS = key("pulse.watermark.out-of-orderness")
            .durationType().defaultValue(Duration.ofSeconds(5))
            .withDescription("How far behind the newest event an event may be and still count as in order.");

    public static final ConfigOption<Duration> IDLE_TIMEOUT = key("pulse.watermark.idle-timeout")
            .durationType().defaultValue(Duration.ofSeconds(30))
            .withDescription("A partition silent this long no longer holds back the watermark.");

    public static final ConfigOption<Duration> ALLOWED_LATENESS = key("pulse.lateness.allowed")
            .durationType().defaultValue(Duration.ofMinutes(2))
            .withDescription("How long after its minute closed a late event still corrects the value; later "
                    + "events are dead-lettered as too_late and counted.");

    public static final ConfigOption<Duration> DEDUP_HORIZON = key("pulse.dedup.horizon")
            .durationType().defaultValue(Duration.ofMinutes(5))
            .withDescription("How long, in event time, an event id is remembered after the event could last count "
                    + "(its minute's end + the allowed lateness): a copy arriving within it is dropped as a "
                    + "duplicate, a later one is too late anyway.");

    public static final ConfigOption<List<String>> FAMILIES = key("pulse.families")
            .stringType().asList().defaultValues("traffic", "orders", "users", "funnel", "ads", "risk")
            .withDescription("The metric families the job computes, separated by semicolons "
                    + "(traffic;orders;users;funnel;ads;risk); all by default.");

    public static final ConfigOption<List<String>> USERS_SKETCH = key("pulse.users.sketch")
            .stringType().asList().noDefaultValue()
            .withDescription("Users metrics counted with HyperLogLog sketches (Apache DataSketches) instead of "
                    + "exactly, separated by semicolons: 'mau' (MAU and stickiness: a union of daily sketches, and "
                    + "a visitor's state kept 8 days instead of 30) and 'uv' (UV per minute, without per-minute "
                    + "state per visitor). Empty (the default): everything exact.");

    public static final ConfigOption<Integer> USERS_SKETCH_LG_K = key("pulse.users.sketch.lg-k")
            .intType().defaultValue(12)
            .withDescription("Size of each HyperLogLog sketch: 2^lg-k registers (4 to 21); the relative standard "
                    + "error is about 1.04 / sqrt(2^lg-k): 1.6 % at 12, 0.8 % at 14.");

    public static final ConfigOption<Duration> CORRECTION_HORIZON = key("pulse.orders.correction-horizon")
            .durationType().defaultValue(Duration.ofDays(7))
            .withDescription("How long after a payment (in event time, beyond the allowed lateness) a refund or "
                    + "cancellation of the order still restates net GMV of the payment's minute and day; an order is "
                    + "remembered that long. A later one is still counted as a refund or cancellation when it "
                    + "happens. At most 90 days.");

    public static final ConfigOption<Duration> FUNNEL_WINDOW = key("pulse.funnel.window")
            .durationType().defaultValue(Duration.ofHours(24))
            .withDescription("Conversion window of the ordered funnel: a visitor reaches a step when the steps up "
                    + "to it happened in order within this time of the first. A day's funnel is final this long "
                    + "(and the allowed lateness) after the day ends. 1 ms to 7 days.");

    public static final ConfigOption<Duration> ADS_IMPRESSION_HORIZON = key("pulse.ads.impression-horizon")
            .durationType().defaultValue(Duration.ofHours(1))
            .withDescription("How long (in event time, beyond the allowed lateness) a visitor's ad impression ids are "
                    + "remembered: a second copy of an impression within it counts once, and a click whose impression "
                    + "has not come by then is counted in pulse_ad_clicks_without_impression. 1 ms to 7 days.");

    public static final ConfigOption<Duration> ADS_ATTRIBUTION_WINDOW = key("pulse.ads.attribution-window")
            .durationType().defaultValue(Duration.ofHours(24))
            .withDescription("A paid order is credited to the visitor's last ad click at most this long (in event "
                    + "time) before its first payment: a conversion of that click's campaign. 1 ms to 30 days.");

    public static final ConfigOption<Duration> ADS_BUYER_LOOKBACK = key("pulse.ads.buyer-lookback")
            .durationType().defaultValue(Duration.ofDays(30))
            .withDescription("An attributed order is a first-time buyer's (the denominator of CAC) when its user "
                    + "paid no other order in this time before it; every buyer's payments are remembered that long. "
                    + "1 ms to 400 days.");

    public static final ConfigOption<String> RISK_RULES_FILE = key("pulse.risk.rules-file")
            .stringType().noDefaultValue()
            .withDescription("A YAML or JSON file overriding the risk rules' thresholds, windows, severities and "
                    + "suppression (schemas/risk-rules.schema.json; docs/alerting.md). Unset: the built-in defaults.");

    public static final ConfigOption<String> RISK_KEY_SALT = key("pulse.risk.key-salt")
            .stringType().defaultValue("")
            .withDescription("Secret salt of the hash that stands for a user, device or ip in alert records. Set it "
                    + "in production: without it, a known id's hash can be recomputed by anyone.");

    public static final ConfigOption<String> LIVE_ALERTS_TOPIC = key("pulse.topics.alerts-live")
            .stringType().defaultValue("pulse.alerts.live")
            .withDescription("Alert records as soon as a rule fires, written at-least-once: a copy after a restart "
                    + "has the same alert_id.");

    public static final ConfigOption<Duration> UPDATE_INTERVAL = key("pulse.updates.interval")
            .durationType().defaultValue(Duration.ofMillis(500))
            .withDescription("How often open windows send running updates (wall-clock); 0 turns them off.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = key("pulse.checkpoint.interval")
            .durationType().defaultValue(Duration.ofSeconds(10))
            .withDescription("Checkpoint interval; final values become visible to read_committed readers "
                    + "at each checkpoint, so this bounds their delay.");

    public static final ConfigOption<String> CHECKPOINT_DIR = key("pulse.checkpoint.dir")
            .stringType().defaultValue("file:///tmp/pulse/checkpoints")
            .withDescription("Where checkpoints go (a shared file system or object store on a cluster).");

    public static final ConfigOption<Integer> PARALLELISM = key("pulse.parallelism")
            .intType().defaultValue(2)
            .withDescription("Parallelism of the metrics job.");

    /** All options, for documentation and validation of unknown keys. */
    public static List<ConfigOption<?>> all() {
        return List.of(BOOTSTRAP_SERVERS, GROUP_ID, STARTING_OFFSETS, TRANSACTION_TIMEOUT, CLICKS_TOPIC,
                ORDERS_TOPIC, ADS_TOPIC, METRICS_TOPIC, LIVE_METRICS_TOPIC, DEAD_LETTERS_TOPIC, ALERTS_TOPIC,
                LIVE_ALERTS_TOPIC,
                TIME_ZONE, CURRENCY, MAX_FUTURE, MAX_EVENT_BYTES, MAX_AMOUNT, MAX_ITEM_COUNT, OUT_OF_ORDERNESS, IDLE_TIMEOUT, ALLOWED_LATENESS, DEDUP_HORIZON, FAMILIES,
                USERS_SKETCH, USERS_SKETCH_LG_K, CORRECTION_HORIZON, FUNNEL_WINDOW,
                ADS_IMPRESSION_HORIZON, ADS_ATTRIBUTION_WINDOW, ADS_BUYER_LOOKBACK, RISK_RULES_FILE, RISK_KEY_SALT,
                UPDATE_INTERVAL, CHECKPOINT_INTERVAL, CHECKPOINT_DIR, PARALLELISM);
    }
}
