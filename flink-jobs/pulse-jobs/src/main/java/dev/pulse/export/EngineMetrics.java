package dev.pulse.export;

import dev.pulse.catalog.EngineMetric;
import dev.pulse.catalog.MetricDefinition;
import dev.pulse.model.DeadLetterReason;
import dev.pulse.model.Stream;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The engine's own numbers ({@link EngineMetric}) as Prometheus metrics: counters of records read, invalid records
 * and dead letters, the result-delay histogram and the end of the newest final window per metric. Unlike the
 * business gauges these never go stale: a counter that stops moving, or a window end that stops advancing, is
 * exactly what an operator needs to see.
 */
final class EngineMetrics {

    /** Freshness buckets: a healthy pipeline lands within watermark delay plus one checkpoint (tens of seconds). */
    private static final double[] DELAY_BUCKETS_SECONDS =
            {1, 2.5, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600};

    private final Counter recordsConsumed;
    private final Counter invalidRecords;
    private final Counter deadLetters;
    private final Histogram resultDelay;
    private final Gauge lastFinalWindowEnd;
    private final Counter seriesDropped;
    /** Written by the consumer thread only. */
    private final Map<String, Long> lastFinalWindowEndSeconds = new HashMap<>();

    EngineMetrics(PrometheusRegistry registry, List<String> topics) {
        recordsConsumed = Counter.builder().name(name(EngineMetric.RECORDS_CONSUMED, "topic"))
                .help(EngineMetric.RECORDS_CONSUMED.help()).labelNames("topic").register(registry);
        invalidRecords = Counter.builder().name(name(EngineMetric.INVALID_RECORDS, "topic"))
                .help(EngineMetric.INVALID_RECORDS.help()).labelNames("topic").register(registry);
        deadLetters = Counter.builder().name(name(EngineMetric.DEAD_LETTERS, "stream", "reason"))
                .help(EngineMetric.DEAD_LETTERS.help()).labelNames("stream", "reason").register(registry);
        resultDelay = Histogram.builder().name(name(EngineMetric.RESULT_DELAY, "metric"))
                .help(EngineMetric.RESULT_DELAY.help()).labelNames("metric")
                .classicOnly().classicUpperBounds(DELAY_BUCKETS_SECONDS).register(registry);
        lastFinalWindowEnd = Gauge.builder().name(name(EngineMetric.LAST_WINDOW_END, "metric"))
                .help(EngineMetric.LAST_WINDOW_END.help()).labelNames("metric").register(registry);
        seriesDropped = Counter.builder().name(name(EngineMetric.SERIES_DROPPED))
                .help(EngineMetric.SERIES_DROPPED.help()).register(registry);

        // every known label set starts at 0, so rate() and increase() see the first event too
        for (MetricDefinition definition : MetricDefinition.values()) {
            resultDelay.labelValues(definition.id());
        }
        for (String topic : topics) {
            recordsConsumed.labelValues(topic);
            invalidRecords.labelValues(topic);
        }
        for (Stream stream : Stream.values()) {
            for (DeadLetterReason reason : DeadLetterReason.values()) {
                deadLetters.labelValues(stream.code(), reason.code());
            }
        }
    }

    void recordConsumed(String topic) {
        recordsConsumed.labelValues(topic).inc();
    }

    void invalidRecord(String topic) {
        invalidRecords.labelValues(topic).inc();
    }

    void deadLetter(Stream stream, DeadLetterReason reason) {
        deadLetters.labelValues(stream.code(), reason.code()).inc();
    }

    void seriesDropped() {
        seriesDropped.inc();
    }

    void resultDelay(String metric, double seconds) {
        resultDelay.labelValues(metric).observe(seconds);
    }

    /** Keeps the newest window end seen: a late correction of an older window does not move it back. */
    void finalWindowEnd(String metric, long epochSeconds) {
        Long shown = lastFinalWindowEndSeconds.get(metric);
        if (shown == null || epochSeconds > shown) {
            lastFinalWindowEndSeconds.put(metric, epochSeconds);
            lastFinalWindowEnd.labelValues(metric).set(epochSeconds);
        }
    }

    /** {@code pulse_promotion_active}, computed at each scrape from the schedule. */
    void servePromotions(PrometheusRegistry registry, PromotionSchedule schedule, Clock clock) {
        GaugeWithCallback.builder().name(name(EngineMetric.PROMOTION_ACTIVE))
                .help(EngineMetric.PROMOTION_ACTIVE.help())
                .callback(gauge -> gauge.call(schedule.activeAt(clock.instant()) ? 1 : 0))
                .register(registry);
    }

    /**
     * {@code pulse_gmv_target}, only when a target was given: a dashboard then shows no pace rather than a pace
     * against a made-up number.
     */
    void serveGmvTarget(PrometheusRegistry registry, OptionalDouble target) {
        if (target.isPresent()) {
            Gauge.builder().name(name(EngineMetric.GMV_TARGET)).help(EngineMetric.GMV_TARGET.help())
                    .register(registry).set(target.getAsDouble());
        }
    }

    /** The catalog's name, after checking that its labels are the ones this class fills in, in that order. */
    private static String name(EngineMetric metric, String... labels) {
        if (!metric.labels().equals(List.of(labels))) {
            throw new IllegalStateException(metric + " has labels " + metric.labels() + " in the catalog but the"
                    + " exporter fills in " + List.of(labels));
        }
        return metric.prometheusName();
    }
}
