package dev.pulse.pipeline;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.config.PulseSettings;
import dev.pulse.ingestion.Ingestion;
import dev.pulse.ingestion.Parsed;
import dev.pulse.model.AdEvent;
import dev.pulse.model.AlertRecord;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.InputEvent;
import dev.pulse.model.MetricRecord;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import dev.pulse.time.Period;
import dev.pulse.time.TimePolicy;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The metrics workflow, free of any source or sink: each input stream ingested once (validated, dead letters
 * split off, admitted once and in time), then every enabled metric family whose streams have input. Kafka jobs,
 * replay and tests all run exactly this. A stream no enabled family reads is still validated, so its dead
 * letters are counted. A ratio of two families' metrics (visit-to-order conversion) is made from their records when
 * both are on. Alert records of the families that make them (risk) leave as one stream.
 */
public final class PulseWorkflow {
    private PulseWorkflow() {}

    public static PulseOutputs build(PulseInputs inputs, PulseSettings settings) {
        List<MetricFamily> families = new ArrayList<>();
        for (MetricFamily family : Families.enabled(settings)) {
            if (family.inputs().stream().allMatch(s -> parsed(inputs, s) != null)) {
                families.add(family);
            }
        }
        if (families.isEmpty()) {
            throw new IllegalArgumentException("no input for any enabled metric family (" + settings.families + ")");
        }
        Map<Stream, Period> smallest = new EnumMap<>(Stream.class);
        for (MetricFamily family : families) {
            for (Stream s : Stream.values()) {
                boolean reads = family.inputs().contains(s)
                        || family.optionalInputs().contains(s) && parsed(inputs, s) != null;
                if (reads) {
                    smallest.merge(s, family.smallestPeriod(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
                }
            }
        }
        List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();
        MetricFamily.Admitted admitted = new MetricFamily.Admitted(
                PulseWorkflow.<ClickEvent>ingest(inputs.clicks, Stream.CLICK, smallest, settings, deadLetters),
                PulseWorkflow.<OrderEvent>ingest(inputs.orders, Stream.ORDER, smallest, settings, deadLetters),
                PulseWorkflow.<AdEvent>ingest(inputs.ads, Stream.AD, smallest, settings, deadLetters));
        TimePolicy time = TimePolicy.from(settings);
        List<DataStream<MetricRecord>> values = new ArrayList<>();
        List<DataStream<AlertRecord>> alerts = new ArrayList<>();
        List<DataStream<AlertRecord>> liveAlerts = new ArrayList<>();
        for (MetricFamily family : families) {
            MetricFamily.Output output = family.build(admitted, time);
            values.addAll(output.values());
            deadLetters.addAll(output.deadLetters());
            alerts.addAll(output.alerts());
            liveAlerts.addAll(output.liveAlerts());
        }
        if (families.stream().map(MetricFamily::name).toList().containsAll(List.of("users", "orders"))) {
            values.add(DerivedRatio.of(union(values), MetricDefinition.PAYING_USERS, MetricDefinition.DAU_TOTAL,
                    MetricDefinition.VISIT_TO_ORDER, settings.allowedLateness, "visit-to-order"));
        }
        DataStream<MetricRecord> all = union(values);
        return new PulseOutputs(
                FinalValueSets.of(all.filter(m -> m.isFinal).uid("final-values").name("final-values"),
                        "final-value-sets"),
                all.filter(m -> !m.isFinal).uid("running-updates").name("running-updates"),
                union(deadLetters), alerts.isEmpty() ? null : union(alerts),
                liveAlerts.isEmpty() ? null : union(liveAlerts));
    }

    private static DataStream<?> parsed(PulseInputs inputs, Stream stream) {
        return switch (stream) {
            case CLICK -> inputs.clicks;
            case ORDER -> inputs.orders;
            case AD -> inputs.ads;
        };
    }

    private static <T extends InputEvent> DataStream<T> ingest(DataStream<Parsed<T>> parsed, Stream stream,
                                                                Map<Stream, Period> smallest, PulseSettings settings,
                                                                List<DataStream<DeadLetter>> deadLetters) {
        if (parsed == null) {
            return null;
        }
        Ingestion.Ingested<T> ingested = Ingestion.ingest(parsed, stream, smallest.get(stream), settings);
        deadLetters.add(ingested.deadLetters());
        return ingested.events();
    }

    @SuppressWarnings("unchecked")
    private static <T> DataStream<T> union(List<DataStream<T>> streams) {
        return streams.size() == 1 ? streams.get(0)
                : streams.get(0).union(streams.subList(1, streams.size()).toArray(DataStream[]::new));
    }
}
