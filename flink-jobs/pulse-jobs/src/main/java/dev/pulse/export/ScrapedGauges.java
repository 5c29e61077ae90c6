package dev.pulse.export;

import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The gauges of one {@code PrometheusRegistry.scrape()}, the very snapshots {@code /metrics} serializes, looked
 * up by name: what the war-room page reads, so that it can never show a number Prometheus would not see.
 */
final class ScrapedGauges {
    private final Map<String, List<GaugeDataPointSnapshot>> byName = new HashMap<>();

    ScrapedGauges(MetricSnapshots snapshots) {
        for (MetricSnapshot snapshot : snapshots) {
            if (snapshot instanceof GaugeSnapshot gauge) {
                byName.put(gauge.getMetadata().getPrometheusName(), gauge.getDataPoints());
            }
        }
    }

    /** The sum over every series of the gauge; empty when the gauge is not served (no fresh series). */
    OptionalDouble sum(String name) {
        return sumWhere(name, Labels.EMPTY);
    }

    /** The sum over the series whose labels include all of {@code matching}; empty when there is none. */
    OptionalDouble sumWhere(String name, Labels matching) {
        double sum = 0;
        boolean any = false;
        for (GaugeDataPointSnapshot point : points(name)) {
            if (matches(point, matching)) {
                sum += point.getValue();
                any = true;
            }
        }
        return any ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    /** Sums by the values of {@code label} (e.g. GMV by currency), in no particular order. */
    Map<String, Double> sumBy(String name, String label) {
        Map<String, Double> sums = new HashMap<>();
        for (GaugeDataPointSnapshot point : points(name)) {
            sums.merge(point.getLabels().get(label), point.getValue(), Double::sum);
        }
        return sums;
    }

    List<GaugeDataPointSnapshot> points(String name) {
        return byName.getOrDefault(name, List.of());
    }

    private static boolean matches(DataPointSnapshot point, Labels matching) {
        for (int i = 0; i < matching.size(); i++) {
            if (!matching.getValue(i).equals(point.getLabels().get(matching.getName(i)))) {
                return false;
            }
        }
        return true;
    }
}
