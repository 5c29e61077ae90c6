package dev.pulse.export;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.export.LatestValues.Reading;
import dev.pulse.export.LatestValues.Series;
import dev.pulse.export.LatestValues.SeriesKey;
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
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@link LatestValues} into the catalog's gauges at each scrape: final values under each metric's final
 * name ({@code ecom_*_last_minute}, {@code ecom_*_last_day}) and running values under its running name
 * ({@code ecom_*_current_minute}, {@code ecom_*_today}), with the catalog's help text and labels. A series not
 * updated for its metric's staleness ({@link MetricDefinition#staleAfter}) is left out, so a number that stopped
 * flowing disappears from the screen instead of showing a frozen value as if it were live. The ads' long tail of
 * campaigns and creatives is folded into {@code other} first ({@link CampaignFolding}); should more than the most
 * series served remain, the rest is left out (in name order, so the same ones each scrape) and a warning logged.
 */
final class LatestValuesCollector implements MultiCollector {

    private static final Logger LOG = LoggerFactory.getLogger(LatestValuesCollector.class);

    private final LatestValues values;
    private final Clock clock;
    private final Duration minuteStaleness;
    private final CampaignFolding folding;
    private final int maxSeries;
    private boolean warned;

    LatestValuesCollector(LatestValues values, Clock clock, Duration minuteStaleness, int topCampaigns,
                          int maxSeries) {
        this.values = values;
        this.clock = clock;
        this.minuteStaleness = minuteStaleness;
        this.folding = new CampaignFolding(topCampaigns);
        this.maxSeries = maxSeries;
    }

    /** With the default top campaigns and most series served. */
    LatestValuesCollector(LatestValues values, Clock clock, Duration minuteStaleness) {
        this(values, clock, minuteStaleness, ExporterSettings.DEFAULT_TOP_CAMPAIGNS,
                ExporterSettings.DEFAULT_MAX_SERIES);
    }

    @Override
    public MetricSnapshots collect() {
        Instant now = clock.instant();
        Map<MetricDefinition, List<GaugeDataPointSnapshot>> last = new EnumMap<>(MetricDefinition.class);
        Map<MetricDefinition, List<GaugeDataPointSnapshot>> current = new EnumMap<>(MetricDefinition.class);
        Map<SeriesKey, Series> shown = folding.fold(values.snapshot());
        if (shown.size() > maxSeries) {
            shown = firstByName(shown);
        }
        shown.forEach((key, series) -> {
            Labels labels = Labels.of(key.definition().labels(), key.labelValues());
            Duration staleAfter = key.definition().staleAfter(minuteStaleness);
            if (isFresh(series.last(), now, staleAfter)) {
                last.computeIfAbsent(key.definition(), d -> new ArrayList<>()).add(point(series.last(), labels));
            }
            if (isFresh(series.current(), now, staleAfter)) {
                current.computeIfAbsent(key.definition(), d -> new ArrayList<>()).add(point(series.current(), labels));
            }
        });
        // a gauge without a single fresh series is left out altogether rather than served empty
        List<MetricSnapshot> gauges = new ArrayList<>();
        last.forEach((definition, points) -> gauges.add(
                new GaugeSnapshot(new MetricMetadata(definition.finalName(), definition.help(true)), points)));
        current.forEach((definition, points) -> gauges.add(
                new GaugeSnapshot(new MetricMetadata(definition.runningName(), definition.help(false)), points)));
        return new MetricSnapshots(gauges);
    }

    @Override
    public List<String> getPrometheusNames() {
        List<String> names = new ArrayList<>();
        for (MetricDefinition definition : MetricDefinition.values()) {
            names.add(definition.finalName());
            names.add(definition.runningName());
        }
        return names;
    }

    private Map<SeriesKey, Series> firstByName(Map<SeriesKey, Series> shown) {
        if (!warned) {
            LOG.warn("{} series to serve, more than the most served ({}): the rest is left out", shown.size(),
                    maxSeries);
            warned = true;
        }
        Map<SeriesKey, Series> first = new TreeMap<>(Comparator.comparing((SeriesKey k) -> k.definition().name())
                .thenComparing(k -> String.join("\u0000", k.labelValues())));
        first.putAll(shown);
        return first.entrySet().stream().limit(maxSeries)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Served while younger than staleAfter; dropped from the moment it is exactly that old. */
    private static boolean isFresh(Reading reading, Instant now, Duration staleAfter) {
        return reading != null && Duration.between(reading.receivedAt(), now).compareTo(staleAfter) < 0;
    }

    private static GaugeDataPointSnapshot point(Reading reading, Labels labels) {
        return GaugeDataPointSnapshot.builder().value(reading.value()).labels(labels).build();
    }
}
