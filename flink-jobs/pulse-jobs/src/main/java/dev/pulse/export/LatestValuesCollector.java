package dev.pulse.export;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.export.LatestValues.Reading;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Turns {@link LatestValues} into the catalog's gauges at each scrape: {@code ecom_*_last_minute} from final
 * values and {@code ecom_*_current_minute} from running values, with the catalog's help text and labels.
 * A series not updated for {@code staleAfter} is left out, so a number that stopped flowing disappears from the
 * screen instead of showing a frozen value as if it were live.
 */
final class LatestValuesCollector implements MultiCollector {

    private final LatestValues values;
    private final Clock clock;
    private final Duration staleAfter;

    LatestValuesCollector(LatestValues values, Clock clock, Duration staleAfter) {
        this.values = values;
        this.clock = clock;
        this.staleAfter = staleAfter;
    }

    @Override
    public MetricSnapshots collect() {
        Instant now = clock.instant();
        Map<MetricDefinition, List<GaugeDataPointSnapshot>> last = new EnumMap<>(MetricDefinition.class);
        Map<MetricDefinition, List<GaugeDataPointSnapshot>> current = new EnumMap<>(MetricDefinition.class);
        values.snapshot().forEach((key, series) -> {
            Labels labels = Labels.of(key.definition().labels(), key.labelValues());
            if (isFresh(series.last(), now)) {
                last.computeIfAbsent(key.definition(), d -> new ArrayList<>()).add(point(series.last(), labels));
            }
            if (isFresh(series.current(), now)) {
                current.computeIfAbsent(key.definition(), d -> new ArrayList<>()).add(point(series.current(), labels));
            }
        });
        // a gauge without a single fresh series is left out altogether rather than served empty
        List<MetricSnapshot> gauges = new ArrayList<>();
        last.forEach((definition, points) -> gauges.add(
                new GaugeSnapshot(new MetricMetadata(definition.lastMinuteName(), definition.help(true)), points)));
        current.forEach((definition, points) -> gauges.add(
                new GaugeSnapshot(new MetricMetadata(definition.currentMinuteName(), definition.help(false)), points)));
        return new MetricSnapshots(gauges);
    }

    @Override
    public List<String> getPrometheusNames() {
        List<String> names = new ArrayList<>();
        for (MetricDefinition definition : MetricDefinition.values()) {
            names.add(definition.lastMinuteName());
            names.add(definition.currentMinuteName());
        }
        return names;
    }

    /** Served while younger than staleAfter; dropped from the moment it is exactly that old. */
    private boolean isFresh(Reading reading, Instant now) {
        return reading != null && Duration.between(reading.receivedAt(), now).compareTo(staleAfter) < 0;
    }

    private static GaugeDataPointSnapshot point(Reading reading, Labels labels) {
        return GaugeDataPointSnapshot.builder().value(reading.value()).labels(labels).build();
    }
}
