package dev.pulse.export;

import dev.pulse.catalog.MetricDefinition;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * What the war-room page shows, read from one scrape of the exporter's registry (the values {@code /metrics}
 * serves at that moment) plus the minute history; served as JSON on {@code /api/war-room}. A value is
 * {@code null} when its gauge is not served (no data yet, or gone stale), never 0 or NaN.
 *
 * @param updatedAt when the scrape was taken (the exporter's clock)
 * @param timeZone the business time zone the page shows times in
 * @param currency the shop's currency: the GMV target's and the GMV chart's
 * @param hasData whether any tile or chart has a value
 * @param gmvToday {@code ecom_gmv_today} summed over channels, per currency (by currency code)
 * @param gmvPace GMV today in {@code currency} against {@code --gmv-target}; {@code null} without a target
 * @param ordersPaidToday {@code ecom_orders_paid_today} summed over channels
 * @param dauToday {@code ecom_dau_total_today}
 * @param visitToOrderToday {@code ecom_visit_to_order_ratio_today}
 * @param paymentSuccessToday {@code ecom_payment_success_ratio_today}
 * @param colors the colour of each value the catalog gives a range ({@link MetricDefinition#thresholds()}), by
 *     field name: red, yellow, orange, green or blue
 * @param riskAlertsToday {@code ecom_risk_alerts_today}, by rule and severity
 * @param riskAlertsLastMinute {@code ecom_risk_alerts_last_minute}, by rule and severity
 * @param minutes orders paid and GMV of the last closed minutes, oldest first
 */
record WarRoomValues(Instant updatedAt, String timeZone, String currency, boolean hasData, List<Money> gmvToday,
                     GmvPace gmvPace, Double ordersPaidToday, Double dauToday, Double visitToOrderToday,
                     Double paymentSuccessToday, Map<String, String> colors, List<AlertCount> riskAlertsToday,
                     List<AlertCount> riskAlertsLastMinute, List<MinuteHistory.Minute> minutes) {

    record Money(String currency, double amount) {}

    record AlertCount(String rule, String severity, double count) {}

    static WarRoomValues from(ScrapedGauges gauges, List<MinuteHistory.Minute> minutes, Instant now, ZoneId zone,
                              String currency, OptionalDouble gmvTarget) {
        List<Money> gmv = gauges.sumBy(MetricDefinition.GMV_DAY.runningName(), "currency").entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).map(e -> new Money(e.getKey(), e.getValue())).toList();
        OptionalDouble gmvInCurrency = gmv.stream().filter(m -> m.currency().equals(currency))
                .mapToDouble(Money::amount).findFirst();
        GmvPace pace = gmvTarget.isPresent() ? GmvPace.of(gmvTarget.getAsDouble(), gmvInCurrency, now, zone) : null;
        Double orders = orNull(gauges.sum(MetricDefinition.ORDERS_PAID_DAY.runningName()));
        Double dau = orNull(gauges.sum(MetricDefinition.DAU_TOTAL.runningName()));
        Double conversion = orNull(gauges.sum(MetricDefinition.VISIT_TO_ORDER.runningName()));
        Double paymentSuccess = orNull(gauges.sum(MetricDefinition.PAYMENT_SUCCESS_DAY.runningName()));
        List<AlertCount> alertsToday = alerts(gauges, MetricDefinition.RISK_ALERTS_DAY.runningName());
        List<AlertCount> alertsLastMinute = alerts(gauges, MetricDefinition.RISK_ALERTS.finalName());
        boolean hasData = !gmv.isEmpty() || orders != null || dau != null || conversion != null
                || paymentSuccess != null || !alertsToday.isEmpty() || !alertsLastMinute.isEmpty()
                || !minutes.isEmpty();
        Map<String, String> colors = new TreeMap<>();
        color(colors, "visit_to_order_today", MetricDefinition.VISIT_TO_ORDER, conversion);
        color(colors, "payment_success_today", MetricDefinition.PAYMENT_SUCCESS_DAY, paymentSuccess);
        return new WarRoomValues(now, zone.getId(), currency, hasData, gmv, pace, orders, dau, conversion,
                paymentSuccess, colors, alertsToday, alertsLastMinute, List.copyOf(minutes));
    }

    private static List<AlertCount> alerts(ScrapedGauges gauges, String name) {
        List<AlertCount> counts = new ArrayList<>();
        for (GaugeDataPointSnapshot point : gauges.points(name)) {
            counts.add(new AlertCount(point.getLabels().get("rule"), point.getLabels().get("severity"),
                    point.getValue()));
        }
        counts.sort(Comparator.comparing(AlertCount::rule).thenComparing(AlertCount::severity));
        return counts;
    }

    /** The same colours as the dashboards': the catalog's ranges. */
    private static void color(Map<String, String> colors, String field, MetricDefinition metric, Double value) {
        if (value != null) {
            metric.thresholds().ifPresent(thresholds -> colors.put(field, thresholds.colorOf(value)));
        }
    }

    private static Double orNull(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }
}
