package dev.pulse.export;

import dev.pulse.catalog.EngineMetric;
import dev.pulse.catalog.MetricDefinition;
import io.prometheus.metrics.model.snapshots.Labels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The war-room charts' memory: orders paid and GMV (in the shop's currency) of the last {@value #MINUTES} closed
 * minutes, sampled from the scrape. A minute is the window end of {@code pulse_last_final_window_end_seconds}
 * ({@code metric="orders_paid"} / {@code "gmv"}) with the sum over series of {@code ecom_orders_paid_last_minute} /
 * {@code ecom_gmv_last_minute} as served then, i.e. what a Grafana panel summing the gauge shows. The gauges keep
 * only the newest closed minute, so the page would start empty after a reload without this ring.
 *
 * <p>The newest minute's values follow the scrape (a late correction of it replaces the value); once a newer
 * minute has closed, an older one is frozen, so a series going stale later does not rewrite the past. Minutes
 * the exporter never saw as the newest (before it started, or between two samples) are not in the ring, nor are
 * minutes an hour or more before the newest (a backlog read at speed leaves samples hours apart).
 */
final class MinuteHistory {
    static final int MINUTES = 60;

    /** One closed minute; a value is {@code null} while no final of that metric has been seen for the minute. */
    record Minute(Instant windowEnd, Double ordersPaid, Double gmv) {}

    private final String currency;
    private final TreeMap<Long, Minute> minutes = new TreeMap<>();
    private long newestOrdersEnd = Long.MIN_VALUE;
    private long newestGmvEnd = Long.MIN_VALUE;

    MinuteHistory(String currency) {
        this.currency = currency;
    }

    /** Takes the newest closed minute from one scrape. */
    synchronized void sample(ScrapedGauges gauges) {
        OptionalDouble ordersEnd = windowEnd(gauges, MetricDefinition.ORDERS_PAID);
        OptionalDouble orders = gauges.sum(MetricDefinition.ORDERS_PAID.finalName());
        if (ordersEnd.isPresent() && orders.isPresent() && (long) ordersEnd.getAsDouble() >= newestOrdersEnd) {
            newestOrdersEnd = (long) ordersEnd.getAsDouble();
            Minute m = minute(newestOrdersEnd);
            minutes.put(newestOrdersEnd, new Minute(m.windowEnd(), orders.getAsDouble(), m.gmv()));
        }
        OptionalDouble gmvEnd = windowEnd(gauges, MetricDefinition.GMV);
        OptionalDouble gmv = gauges.sumWhere(MetricDefinition.GMV.finalName(), Labels.of("currency", currency));
        if (gmvEnd.isPresent() && gmv.isPresent() && (long) gmvEnd.getAsDouble() >= newestGmvEnd) {
            newestGmvEnd = (long) gmvEnd.getAsDouble();
            Minute m = minute(newestGmvEnd);
            minutes.put(newestGmvEnd, new Minute(m.windowEnd(), m.ordersPaid(), gmv.getAsDouble()));
        }
        long newest = Math.max(newestOrdersEnd, newestGmvEnd);
        minutes.headMap(newest - MINUTES * 60L, true).clear();
    }

    /** Oldest first. */
    synchronized List<Minute> minutes() {
        return new ArrayList<>(minutes.values());
    }

    private Minute minute(long windowEndSeconds) {
        return minutes.getOrDefault(windowEndSeconds,
                new Minute(Instant.ofEpochSecond(windowEndSeconds), null, null));
    }

    private static OptionalDouble windowEnd(ScrapedGauges gauges, MetricDefinition definition) {
        return gauges.sumWhere(EngineMetric.LAST_WINDOW_END.prometheusName(), Labels.of("metric", definition.id()));
    }
}
