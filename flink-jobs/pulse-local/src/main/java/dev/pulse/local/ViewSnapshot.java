package dev.pulse.local;

import dev.pulse.catalog.EngineMetric;
import dev.pulse.catalog.MetricDefinition;
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
 * serves them, and the dead letters. Plain data, so that rendering is a pure function of it.
 *
 * @param uptime time since the demo started
 * @param jobStatus the Flink job's status (RUNNING, RESTARTING, ...)
 * @param sent events the generator has sent so far, per stream
 * @param eventsPerSecond the generator's rate since the previous refresh, per stream
 * @param metrics one row per headline metric, in display order
 * @param deadLettersByReason dead letters since the exporter started, by reason
 * @param exporterProblem why the exporter could not be read, or null when it was
 */
public record ViewSnapshot(Duration uptime, String jobStatus, Map<Stream, Long> sent,
        Map<Stream, Double> eventsPerSecond, List<MetricRow> metrics, SortedMap<String, Long> deadLettersByReason,
        String exporterProblem) {

    /** A headline metric: its value in the latest closed minute and so far in the open one (empty: not yet). */
    public record MetricRow(String label, OptionalDouble lastMinute, OptionalDouble currentMinute, boolean money) {}

    /** The exporter's dead-letter counter as served (a Prometheus counter is exposed with the _total suffix). */
    static final String DEAD_LETTERS_SERIES = EngineMetric.DEAD_LETTERS.prometheusName() + "_total";

    /** The headline rows read from a scrape of the exporter: totals over every label but GMV's currency. */
    public static List<MetricRow> metricRows(PrometheusText metrics) {
        List<MetricRow> rows = new ArrayList<>();
        rows.add(countRow("page views", MetricDefinition.PAGE_VIEWS, metrics));
        rows.add(countRow("orders created", MetricDefinition.ORDERS_CREATED, metrics));
        rows.add(countRow("orders paid", MetricDefinition.ORDERS_PAID, metrics));
        // money is never added across currencies: one row per currency the exporter reports
        SortedMap<String, Double> last = metrics.sumBy(MetricDefinition.GMV.finalName(), "currency");
        SortedMap<String, Double> current = metrics.sumBy(MetricDefinition.GMV.runningName(), "currency");
        SortedSet<String> currencies = new TreeSet<>(last.keySet());
        currencies.addAll(current.keySet());
        if (currencies.isEmpty()) {
            rows.add(new MetricRow("GMV", OptionalDouble.empty(), OptionalDouble.empty(), true));
        }
        for (String currency : currencies) {
            rows.add(new MetricRow("GMV " + currency, optional(last.get(currency)), optional(current.get(currency)),
                    true));
        }
        return rows;
    }

    /** Dead letters by reason, summed over streams. */
    public static SortedMap<String, Long> deadLettersByReason(PrometheusText metrics) {
        SortedMap<String, Long> byReason = new TreeMap<>();
        metrics.sumBy(DEAD_LETTERS_SERIES, "reason").forEach((reason, n) -> byReason.put(reason, Math.round(n)));
        return byReason;
    }

    /** The rows before the exporter has answered: every value unknown. */
    public static List<MetricRow> unknownRows() {
        return metricRows(PrometheusText.parse(""));
    }

    private static MetricRow countRow(String label, MetricDefinition metric, PrometheusText metrics) {
        return new MetricRow(label, metrics.sum(metric.finalName()), metrics.sum(metric.runningName()),
                false);
    }

    private static OptionalDouble optional(Double value) {
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}
