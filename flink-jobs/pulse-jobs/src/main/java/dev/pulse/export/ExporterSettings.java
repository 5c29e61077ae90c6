package dev.pulse.export;

import dev.pulse.config.PulseOptions;
import dev.pulse.config.PulseSettings;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Settings of the metrics exporter: where Kafka and the three topics it reads are (taken from
 * {@link PulseSettings}), the address it serves {@code /metrics} on, and how long a gauge series may go without
 * an update before it is dropped from the exposition.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param metricsTopic final metric values (transactional, read with read_committed)
 * @param liveMetricsTopic running updates of open windows
 * @param deadLettersTopic dead-lettered input events
 * @param groupId consumer group under which the dead-letter read position is committed (one per exporter instance)
 * @param host interface the HTTP server binds to (loopback unless told otherwise)
 * @param port HTTP port; 0 picks a free one
 * @param staleAfter a minute gauge series not updated for this long is no longer served (business-day series
 *     stay longer, see MetricDefinition#staleAfter); at start the exporter also reads the results topics back
 *     as far as each kept them, so it serves what it would have served had it been running
 * @param maxSeries the most gauge series served at a scrape; the exporter keeps up to {@value #STORED_PER_SERVED}
 *     times as many before folding campaigns (values of further series are dropped and counted)
 * @param kafkaProperties Kafka client settings for the consumer (pulse.kafka.properties.*: security and the like)
 * @param topCampaigns how many campaigns, and how many creatives, keep their own series (the top by spend in the
 *     newest business day); the others are served folded into {@code other}
 * @param promotions when a promotion is on (served as {@code pulse_promotion_active} for the alert rules)
 * @param timeZone the business time zone ({@code pulse.time-zone}): when the day the GMV pace is measured in starts
 * @param currency the shop's currency ({@code pulse.currency}): the one the GMV target is given in
 * @param gmvTarget the business day's GMV target in {@code currency} ({@code --gmv-target}), empty when not given:
 *     served as {@code pulse_gmv_target} and the war-room page's pace
 */
public record ExporterSettings(String bootstrapServers, String metricsTopic, String liveMetricsTopic,
                               String deadLettersTopic, String groupId, String host, int port,
                               Duration staleAfter, int maxSeries, Map<String, String> kafkaProperties,
                               int topCampaigns, PromotionSchedule promotions, ZoneId timeZone,
                               String currency, OptionalDouble gmvTarget) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9400;
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(5);
    public static final String DEFAULT_GROUP_ID = "pulse-exporter";
    /** Far above what the bounded labels give (a few hundred series), far below what would strain memory. */
    public static final int DEFAULT_MAX_SERIES = 10_000;
    /** Campaign series before folding: 10,000 campaigns with a few creatives each fit at the default. */
    public static final int STORED_PER_SERVED = 50;
    public static final int DEFAULT_TOP_CAMPAIGNS = 20;

    /** With the default number of top campaigns, business time zone and currency, and no GMV target. */
    public ExporterSettings(String bootstrapServers, String metricsTopic, String liveMetricsTopic,
                            String deadLettersTopic, String groupId, String host, int port, Duration staleAfter,
                            int maxSeries, Map<String, String> kafkaProperties) {
        this(bootstrapServers, metricsTopic, liveMetricsTopic, deadLettersTopic, groupId, host, port, staleAfter,
                maxSeries, kafkaProperties, DEFAULT_TOP_CAMPAIGNS, PromotionSchedule.NONE,
                ZoneId.of(PulseOptions.TIME_ZONE.defaultValue()), PulseOptions.CURRENCY.defaultValue(),
                OptionalDouble.empty());
    }

    public ExporterSettings {
        requireText(bootstrapServers, "bootstrap servers");
        requireText(metricsTopic, "metrics topic");
        requireText(liveMetricsTopic, "live metrics topic");
        requireText(deadLettersTopic, "dead-letters topic");
        requireText(groupId, "group id");
        requireText(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        Objects.requireNonNull(staleAfter, "staleAfter");
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("stale-after must be positive, was " + staleAfter);
        }
        kafkaProperties = Map.copyOf(kafkaProperties);
        Objects.requireNonNull(promotions, "promotions");
        if (maxSeries < 1 || maxSeries > Integer.MAX_VALUE / STORED_PER_SERVED) {
            throw new IllegalArgumentException("max-series must be between 1 and "
                    + Integer.MAX_VALUE / STORED_PER_SERVED + ", was " + maxSeries);
        }
        if (topCampaigns < 1 || topCampaigns > 1000) {
            throw new IllegalArgumentException("top-campaigns must be between 1 and 1000, was " + topCampaigns);
        }
        Objects.requireNonNull(timeZone, "timeZone");
        requireText(currency, "currency");
        Objects.requireNonNull(gmvTarget, "gmvTarget");
        if (gmvTarget.isPresent() && !(gmvTarget.getAsDouble() > 0 && Double.isFinite(gmvTarget.getAsDouble()))) {
            throw new IllegalArgumentException("gmv-target must be a positive amount (the business day's GMV target"
                    + " in " + currency + "), was " + gmvTarget.getAsDouble());
        }
        if (metricsTopic.equals(liveMetricsTopic) || metricsTopic.equals(deadLettersTopic)
                || liveMetricsTopic.equals(deadLettersTopic)) {
            throw new IllegalArgumentException("the metrics, live metrics and dead-letters topics must differ");
        }
    }

    /** Kafka, topics, business time zone and currency from the shared settings; everything else at its default. */
    public static ExporterSettings from(PulseSettings pulse) {
        return new ExporterSettings(pulse.bootstrapServers, pulse.metricsTopic, pulse.liveMetricsTopic,
                pulse.deadLettersTopic, DEFAULT_GROUP_ID, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_STALE_AFTER,
                DEFAULT_MAX_SERIES, pulse.kafkaProperties, DEFAULT_TOP_CAMPAIGNS, PromotionSchedule.NONE,
                pulse.timeZone, pulse.currency, OptionalDouble.empty());
    }

    public ExporterSettings withHost(String newHost) {
        return new ExporterSettings(bootstrapServers, metricsTopic, liveMetricsTopic, deadLettersTopic, groupId,
                newHost, port, staleAfter, maxSeries, kafkaProperties, topCampaigns, promotions,
                timeZone, currency, gmvTarget);
    }

    public ExporterSettings withPort(int newPort) {
        return new ExporterSettings(bootstrapServers, metricsTopic, liveMetricsTopic, deadLettersTopic, groupId,
                host, newPort, staleAfter, maxSeries, kafkaProperties, topCampaigns, promotions,
                timeZone, currency, gmvTarget);
    }

    public ExporterSettings withStaleAfter(Duration newStaleAfter) {
        return new ExporterSettings(bootstrapServers, metricsTopic, liveMetricsTopic, deadLettersTopic, groupId,
                host, port, newStaleAfter, maxSeries, kafkaProperties, topCampaigns, promotions,
                timeZone, currency, gmvTarget);
    }

    public ExporterSettings withGroupId(String newGroupId) {
        return new ExporterSettings(bootstrapServers, metricsTopic, liveMetricsTopic, deadLettersTopic, newGroupId,
                host, port, staleAfter, maxSeries, kafkaProperties, topCampaigns, promotions,
                timeZone, currency, gmvTarget);
    }

    public ExporterSettings withMaxSeries(int newMaxSeries) {
        return new ExporterSettings(bootstrapServers, metricsTopic, liveMetricsTopic, deadLettersTopic, groupId,
                host, port, staleAfter, newMaxSeries, kafkaProperties, topCampaigns, promotions,
                timeZone, currency, gmvTarget);
    }

    public ExporterSettings withTopCampaigns(int newTopCampaigns) {
        return new ExporterSettings(bootstrapServers, metricsTopic, liveMetricsTopic, deadLettersTopic, groupId,
                host, port, staleAfter, maxSeries, kafkaProperties, newTopCampaigns, promotions,
                timeZone, currency, gmvTarget);
    }

    public ExporterSettings withPromotions(PromotionSchedule newPromotions) {
        return new ExporterSettings(bootstrapServers, metricsTopic, liveMetricsTopic, deadLettersTopic, groupId,
                host, port, staleAfter, maxSeries, kafkaProperties, topCampaigns, newPromotions,
                timeZone, currency, gmvTarget);
    }

    /** A GMV target for the business day, in the shop's currency; {@code null} for none. */
    public ExporterSettings withGmvTarget(Double newGmvTarget) {
        return new ExporterSettings(bootstrapServers, metricsTopic, liveMetricsTopic, deadLettersTopic, groupId,
                host, port, staleAfter, maxSeries, kafkaProperties, topCampaigns, promotions, timeZone, currency,
                newGmvTarget == null ? OptionalDouble.empty() : OptionalDouble.of(newGmvTarget));
    }

    /** The most series kept before folding. */
    public int maxStoredSeries() {
        return maxSeries * STORED_PER_SERVED;
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }
}
