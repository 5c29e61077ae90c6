package dev.pulse.config;

import dev.pulse.pipeline.Families;
import dev.pulse.risk.RiskRules;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;

/** The validated Pulse configuration. Built once from a Flink {@link Configuration}; every error names its key. */
public final class PulseSettings implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Kafka brokers refuse transactions longer than this by default (transaction.max.timeout.ms). */
    static final Duration BROKER_MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);
    /** Ceiling of pulse.input.max-bytes: Kafka's default message limit is 1 MB, 16 MB is far beyond any event. */
    static final long MAX_EVENT_BYTES_CEILING = 16L * 1024 * 1024;
    /** Ceiling of pulse.input.max-amount: a window can add 9 million such amounts in cents before a long overflows. */
    static final double MAX_AMOUNT_CEILING = 1e12;

    public static final Set<String> SKETCHABLE = Set.of("uv", "mau");
    private static final Set<String> STARTING_OFFSETS = Set.of("committed-or-earliest", "earliest", "latest");

    public final String bootstrapServers;
    /** Kafka client settings (security protocol, SASL, TLS, ...) for every client, from pulse.kafka.properties.*. */
    public final Map<String, String> kafkaProperties;
    public final String groupId;
    public final String startingOffsets;
    public final Duration transactionTimeout;
    public final String clicksTopic;
    public final String ordersTopic;
    public final String adsTopic;
    public final String metricsTopic;
    public final String liveMetricsTopic;
    public final String deadLettersTopic;
    public final String alertsTopic;
    public final ZoneId timeZone;
    public final String currency;
    public final Duration maxFuture;
    public final int maxEventBytes;
    public final BigDecimal maxAmount;
    public final int maxItemCount;
    public final Duration outOfOrderness;
    public final Duration idleTimeout;
    public final Duration allowedLateness;
    public final Duration dedupHorizon;
    public final List<String> families;
    /** Users metrics counted by sketches: a subset of {@link #SKETCHABLE}. */
    public final Set<String> usersSketch;
    public final int usersSketchLgK;
    public final Duration correctionHorizon;
    public final Duration funnelWindow;
    public final Duration adsImpressionHorizon;
    public final Duration adsAttributionWindow;
    public final Duration adsBuyerLookback;
    public final RiskRules riskRules;
    public final String riskKeySalt;
    public final String liveAlertsTopic;
    public final Duration updateInterval;
    public final Duration checkpointInterval;
    public final String checkpointDir;
    public final int parallelism;

    private PulseSettings(Configuration c, List<String> errors) {
        bootstrapServers = nonBlank(c, PulseOptions.BOOTSTRAP_SERVERS, errors);
        TreeMap<String, String> kafka = new TreeMap<>();
        c.toMap().forEach((key, value) -> {
            if (key.startsWith(KAFKA_PROPERTIES_PREFIX)) {
                kafka.put(key.substring(KAFKA_PROPERTIES_PREFIX.length()), value);
            }
        });
        kafkaProperties = Collections.unmodifiableSortedMap(kafka);
        groupId = nonBlank(c, PulseOptions.GROUP_ID, errors);
        startingOffsets = c.get(PulseOptions.STARTING_OFFSETS);
        if (!STARTING_OFFSETS.contains(startingOffsets)) {
            errors.add(PulseOptions.STARTING_OFFSETS.key() + ": '" + startingOffsets + "' is not one of "
                    + STARTING_OFFSETS);
        }
        transactionTimeout = c.get(PulseOptions.TRANSACTION_TIMEOUT);
        clicksTopic = nonBlank(c, PulseOptions.CLICKS_TOPIC, errors);
        ordersTopic = nonBlank(c, PulseOptions.ORDERS_TOPIC, errors);
        adsTopic = nonBlank(c, PulseOptions.ADS_TOPIC, errors);
        metricsTopic = nonBlank(c, PulseOptions.METRICS_TOPIC, errors);
        liveMetricsTopic = nonBlank(c, PulseOptions.LIVE_METRICS_TOPIC, errors);
        deadLettersTopic = nonBlank(c, PulseOptions.DEAD_LETTERS_TOPIC, errors);
        alertsTopic = nonBlank(c, PulseOptions.ALERTS_TOPIC, errors);
        timeZone = zone(c.get(PulseOptions.TIME_ZONE), errors);
        currency = currency(c.get(PulseOptions.CURRENCY), errors);
        maxFuture = nonNegative(c, PulseOptions.MAX_FUTURE, errors);
        long bytes = c.get(PulseOptions.MAX_EVENT_BYTES).getBytes();
        if (bytes < 1024 || bytes > MAX_EVENT_BYTES_CEILING) {
            errors.add(PulseOptions.MAX_EVENT_BYTES.key() + ": must be between 1kb and 16mb, was "
                    + c.get(PulseOptions.MAX_EVENT_BYTES));
        }
        maxEventBytes = (int) Math.min(bytes, MAX_EVENT_BYTES_CEILING);
        double amount = c.get(PulseOptions.MAX_AMOUNT);
        if (!(amount > 0) || amount > MAX_AMOUNT_CEILING) {
            errors.add(PulseOptions.MAX_AMOUNT.key() + ": must be positive and at most "
                    + MAX_AMOUNT_CEILING + " (so sums in cents fit), was " + amount);
        }
        maxAmount = BigDecimal.valueOf(Math.max(0, Math.min(amount, MAX_AMOUNT_CEILING)));
        maxItemCount = c.get(PulseOptions.MAX_ITEM_COUNT);
        if (maxItemCount < 1) {
            errors.add(PulseOptions.MAX_ITEM_COUNT.key() + ": must be at least 1, was " + maxItemCount);
        }
        outOfOrderness = nonNegative(c, PulseOptions.OUT_OF_ORDERNESS, errors);
        idleTimeout = positive(c, PulseOptions.IDLE_TIMEOUT, errors);
        allowedLateness = nonNegative(c, PulseOptions.ALLOWED_LATENESS, errors);
        dedupHorizon = nonNegative(c, PulseOptions.DEDUP_HORIZON, errors);
        families = List.copyOf(c.get(PulseOptions.FAMILIES));
        for (String family : families) {
            if (!Families.names().contains(family)) {
                errors.add(PulseOptions.FAMILIES.key() + ": '" + family + "' is not a metric family; known: "
                        + String.join(", ", Families.names()));
            }
        }
        if (families.isEmpty()) {
            errors.add(PulseOptions.FAMILIES.key() + ": name at least one metric family");
        }
        usersSketch = Set.copyOf(c.getOptional(PulseOptions.USERS_SKETCH).orElse(List.of()));
        for (String metric : usersSketch) {
            if (!SKETCHABLE.contains(metric)) {
                errors.add(PulseOptions.USERS_SKETCH.key() + ": '" + metric + "' cannot be counted by a sketch; "
                        + "these can: " + String.join(", ", SKETCHABLE.stream().sorted().toList()));
            }
        }
        usersSketchLgK = c.get(PulseOptions.USERS_SKETCH_LG_K);
        if (usersSketchLgK < 4 || usersSketchLgK > 21) {
            errors.add(PulseOptions.USERS_SKETCH_LG_K.key() + ": must be between 4 and 21, was " + usersSketchLgK);
        }
        correctionHorizon = nonNegative(c, PulseOptions.CORRECTION_HORIZON, errors);
        if (correctionHorizon.compareTo(MAX_CORRECTION_HORIZON) > 0) {
            errors.add(PulseOptions.CORRECTION_HORIZON.key() + ": must be at most " + MAX_CORRECTION_HORIZON.toDays()
                    + " days (every order is remembered that long), was " + correctionHorizon);
        }
        funnelWindow = positive(c, PulseOptions.FUNNEL_WINDOW, errors);
        if (funnelWindow.compareTo(MAX_FUNNEL_WINDOW) > 0) {
            errors.add(PulseOptions.FUNNEL_WINDOW.key() + ": must be at most " + MAX_FUNNEL_WINDOW.toDays()
                    + " days (a day's funnel stays open that long), was " + funnelWindow);
        }
        adsImpressionHorizon = positive(c, PulseOptions.ADS_IMPRESSION_HORIZON, errors);
        if (adsImpressionHorizon.compareTo(MAX_IMPRESSION_HORIZON) > 0) {
            errors.add(PulseOptions.ADS_IMPRESSION_HORIZON.key() + ": must be at most "
                    + MAX_IMPRESSION_HORIZON.toDays() + " days (every impression id is remembered that long), was "
                    + adsImpressionHorizon);
        }
        adsAttributionWindow = atMost(c, PulseOptions.ADS_ATTRIBUTION_WINDOW, MAX_ATTRIBUTION_WINDOW,
                "every ad click is remembered that long", errors);
        adsBuyerLookback = atMost(c, PulseOptions.ADS_BUYER_LOOKBACK, MAX_BUYER_LOOKBACK,
                "every buyer's payments are remembered that long", errors);
        riskRules = riskRules(c.get(PulseOptions.RISK_RULES_FILE), errors);
        riskKeySalt = c.get(PulseOptions.RISK_KEY_SALT);
        liveAlertsTopic = nonBlank(c, PulseOptions.LIVE_ALERTS_TOPIC, errors);
        updateInterval = nonNegative(c, PulseOptions.UPDATE_INTERVAL, errors);
        checkpointInterval = positive(c, PulseOptions.CHECKPOINT_INTERVAL, errors);
        checkpointDir = nonBlank(c, PulseOptions.CHECKPOINT_DIR, errors);
        parallelism = c.get(PulseOptions.PARALLELISM);
        if (parallelism < 1) {
            errors.add(PulseOptions.PARALLELISM.key() + ": must be at least 1, was " + parallelism);
        }
        if (transactionTimeout.compareTo(BROKER_MAX_TRANSACTION_TIMEOUT) > 0) {
            errors.add(PulseOptions.TRANSACTION_TIMEOUT.key() + ": " + transactionTimeout
                    + " is above the broker's default maximum of 15 min; the exactly-once sink would fail to start");
        }
        if (transactionTimeout.compareTo(checkpointInterval) <= 0) {
            errors.add(PulseOptions.TRANSACTION_TIMEOUT.key() + ": must be longer than "
                    + PulseOptions.CHECKPOINT_INTERVAL.key() + " (" + checkpointInterval
                    + "), or transactions expire before they commit");
        }
    }

    private static final Duration MAX_CORRECTION_HORIZON = Duration.ofDays(90);
    private static final Duration MAX_FUNNEL_WINDOW = Duration.ofDays(7);
    private static final Duration MAX_IMPRESSION_HORIZON = Duration.ofDays(7);
    private static final Duration MAX_ATTRIBUTION_WINDOW = Duration.ofDays(30);
    private static final Duration MAX_BUYER_LOOKBACK = Duration.ofDays(400);

    /** Prefix of Kafka client settings passed as they are to every client Pulse creates. */
    public static final String KAFKA_PROPERTIES_PREFIX = "pulse.kafka.properties.";
    /** Client settings Pulse decides itself: setting them through the prefix would break a guarantee. */
    private static final Set<String> KAFKA_PROPERTIES_PULSE_OWNS = Set.of("bootstrap.servers", "group.id",
            "isolation.level", "transactional.id", "enable.idempotence", "key.serializer", "value.serializer",
            "key.deserializer", "value.deserializer", "enable.auto.commit");

    /** Validates everything and reports all problems at once. */
    public static PulseSettings from(Configuration configuration) {
        List<String> errors = new ArrayList<>();
        Set<String> known = PulseOptions.all().stream().map(ConfigOption::key).collect(Collectors.toSet());
        for (String key : configuration.keySet()) {
            if (key.startsWith(KAFKA_PROPERTIES_PREFIX)) {
                if (KAFKA_PROPERTIES_PULSE_OWNS.contains(key.substring(KAFKA_PROPERTIES_PREFIX.length()))) {
                    errors.add(key + ": Pulse sets this Kafka client setting itself (see docs/configuration.md)");
                }
            } else if (key.startsWith("pulse.") && !known.contains(key)) {
                errors.add(key + ": unknown Pulse option (see docs/configuration.md)");
            }
        }
        PulseSettings settings;
        try {
            settings = new PulseSettings(configuration, errors);
        } catch (IllegalArgumentException e) {
            // a value of the wrong type (e.g. "5 parsecs" for a duration): Flink names the key in the message
            throw new IllegalConfigurationException("Invalid Pulse configuration: " + e.getMessage(), e);
        }
        if (!errors.isEmpty()) {
            throw new IllegalConfigurationException("Invalid Pulse configuration:\n  " + String.join("\n  ", errors));
        }
        return settings;
    }

    public static PulseSettings from(Map<String, String> values) {
        return from(Configuration.fromMap(values));
    }

    public static PulseSettings defaults() {
        return from(new Configuration());
    }

    private static String nonBlank(Configuration c, ConfigOption<String> option, List<String> errors) {
        String value = c.get(option);
        if (value == null || value.isBlank()) {
            errors.add(option.key() + ": must not be empty");
        }
        return value;
    }

    private static Duration nonNegative(Configuration c, ConfigOption<Duration> option, List<String> errors) {
        Duration value = c.get(option);
        if (value.isNegative()) {
            errors.add(option.key() + ": must not be negative, was " + value);
        }
        return value;
    }

    private static Duration positive(Configuration c, ConfigOption<Duration> option, List<String> errors) {
        Duration value = c.get(option);
        if (value.isNegative() || value.isZero()) {
            errors.add(option.key() + ": must be positive, was " + value);
        }
        return value;
    }

    /** A positive duration no longer than {@code max}; {@code why} says what a longer one would cost. */
    private static Duration atMost(Configuration c, ConfigOption<Duration> option, Duration max, String why,
                                   List<String> errors) {
        Duration value = positive(c, option, errors);
        if (value.compareTo(max) > 0) {
            errors.add(option.key() + ": must be at most " + max.toDays() + " days (" + why + "), was " + value);
        }
        return value;
    }

    private static ZoneId zone(String id, List<String> errors) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            errors.add(PulseOptions.TIME_ZONE.key() + ": '" + id + "' is not a known time zone (e.g. Asia/Shanghai)");
            return ZoneId.of(PulseOptions.TIME_ZONE.defaultValue());
        }
    }

    private static String currency(String code, List<String> errors) {
        try {
            return Currency.getInstance(code).getCurrencyCode();
        } catch (IllegalArgumentException | NullPointerException e) {
            errors.add(PulseOptions.CURRENCY.key() + ": '" + code + "' is not an ISO 4217 currency code");
            return PulseOptions.CURRENCY.defaultValue();
        }
    }

    private static RiskRules riskRules(String file, List<String> errors) {
        if (file == null || file.isBlank()) {
            return RiskRules.defaults();
        }
        try {
            return RiskRules.load(Path.of(file));
        } catch (IllegalArgumentException e) {
            errors.add(PulseOptions.RISK_RULES_FILE.key() + ": " + e.getMessage());
            return RiskRules.defaults();
        }
    }
}
