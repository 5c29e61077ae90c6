package dev.pulse.local;

import dev.pulse.catalog.EngineMetric;
import dev.pulse.catalog.MetricDefinition;
import dev.pulse.model.AlertRecord;
import dev.pulse.model.Stream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the terminal view shows at one refresh: the generator's rates, the headline metrics as the exporter
 * serves them, the dead letters and the latest risk alerts. Plain data, so that rendering is a pure function of it.
 *
 * @param uptime time since the demo started
 * @param jobStatus the Flink job's status (RUNNING, RESTARTING, ...)
 * @param sent events the generator has sent so far, per stream
 * @param eventsPerSecond the generator's rate since the previous refresh, per stream
 * @param metrics one row per headline metric of the minute, in display order
 * @param dayMetrics one row per headline metric of the business day, in display order
 * @param deadLettersByReason dead letters since the exporter started, by reason
 * @param exporterProblem why the exporter could not be read, or null when it was
 * @param latestAlerts the newest risk alerts, newest first
 */
public record ViewSnapshot(Duration uptime, String jobStatus, Map<Stream, Long> sent,
        Map<Stream, Double> eventsPerSecond, List<MetricRow> metrics, List<MetricRow> dayMetrics,
        SortedMap<String, Long> deadLettersByReason, String exporterProblem, List<AlertRecord> latestAlerts) {

    /** A headline metric: its value in the latest closed period and so far in the open one (empty: not yet). */
    public record MetricRow(String label, OptionalDouble last, OptionalDouble current, boolean money) {}

    /** The exporter's dead-letter counter as served (a Prometheus counter is exposed with the _total suffix). */
    static final String DEAD_LETTERS_SERIES = EngineMetric.DEAD_LETTERS.prometheusName() + "_total";

    /** The minute's headline rows read from a scrape of the exporter: totals over every label but GMV's currency. */
    public static List<MetricRow> metricRows(PrometheusText metrics) {
        List<MetricRow> rows = new ArrayList<>();
        rows.add(countRow("page views", MetricDefinition.PAGE_VIEWS, metrics));
        rows.add(countRow("visitors (UV)", MetricDefinition.UV_TOTAL, metrics));
        rows.add(countRow("orders created", MetricDefinition.ORDERS_CREATED, metrics));
        rows.add(countRow("orders paid", MetricDefinition.ORDERS_PAID, metrics));
        rows.addAll(moneyRows("GMV", MetricDefinition.GMV, metrics));
        return rows;
    }

    /** The business day's headline rows: yesterday's final values and today's so far. */
    public static List<MetricRow> dayRows(PrometheusText metrics) {
        List<MetricRow> rows = new ArrayList<>();
        rows.add(countRow("visitors (DAU)", MetricDefinition.DAU_TOTAL, metrics));
        rows.add(countRow("MAU (30 days)", MetricDefinition.MAU, metrics));
        rows.add(countRow("new users", MetricDefinition.NEW_USERS, metrics));
        rows.add(countRow("sessions ended", MetricDefinition.SESSIONS, metrics));
        rows.add(countRow("orders paid", MetricDefinition.ORDERS_PAID_DAY, metrics));
        rows.add(countRow("paying users", MetricDefinition.PAYING_USERS, metrics));
        rows.addAll(moneyRows("GMV", MetricDefinition.GMV_DAY, metrics));
        rows.addAll(moneyRows("net GMV", MetricDefinition.NET_GMV_DAY, metrics));
        rows.addAll(moneyRows("ad spend", MetricDefinition.AD_SPEND_DAY, metrics));
        rows.addAll(moneyRows("ad-attributed GMV", MetricDefinition.AD_ATTRIBUTED_GMV_DAY, metrics));
        return rows;
    }

    /** Money is never added across currencies: one row per currency the exporter reports. */
    private static List<MetricRow> moneyRows(String label, MetricDefinition metric, PrometheusText metrics) {
        SortedMap<String, Double> last = metrics.sumBy(metric.finalName(), "currency");
        SortedMap<String, Double> current = metrics.sumBy(metric.runningName(), "currency");
        SortedSet<String> currencies = new TreeSet<>(last.keySet());
        currencies.addAll(current.keySet());
        if (currencies.isEmpty()) {
            return List.of(new MetricRow(label, OptionalDouble.empty(), OptionalDouble.empty(), true));
        }
        List<MetricRow> rows = new ArrayList<>();
        for (String currency : currencies) {
            rows.add(new MetricRow(label + " " + currency, optional(last.get(currency)),
                    optional(current.get(currency)), true));
        }
        return rows;
    }

    /** Dead letters by reason, summed over streams. */
    public static SortedMap<String, Long> deadLettersByReason(PrometheusText metrics) {
        SortedMap<String, Long> byReason = new TreeMap<>();
        metrics.sumBy(DEAD_LETTERS_SERIES, "reason").forEach((reason, n) -> byReason.put(reason, Math.round(n)));
        return byReason;
    }

    /** The minute's rows before the exporter has answered: every value unknown. */
    public static List<MetricRow> unknownRows() {
        return metricRows(PrometheusText.parse(""));
    }

    /** The day's rows before the exporter has answered. */
    public static List<MetricRow> unknownDayRows() {
        return dayRows(PrometheusText.parse(""));
    }

    private static MetricRow countRow(String label, MetricDefinition metric, PrometheusText metrics) {
        return new MetricRow(label, metrics.sum(metric.finalName()), metrics.sum(metric.runningName()),
                false);
    }

    private static OptionalDouble optional(Double value) {
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}
