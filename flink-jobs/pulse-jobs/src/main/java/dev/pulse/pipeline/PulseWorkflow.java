package dev.pulse.pipeline;

import dev.pulse.config.PulseSettings;
import dev.pulse.ingestion.Ingestion;
import dev.pulse.ingestion.Parsed;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.InputEvent;
import dev.pulse.model.MetricRecord;
import dev.pulse.model.Stream;
import dev.pulse.orders.OrdersPerMinute;
import dev.pulse.traffic.PageViewsPerMinute;
import dev.pulse.window.MinuteWindows;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The metrics workflow, free of any source or sink: ingestion (validate, dead-letter, de-duplicate, lateness)
 * then each metric family. Kafka jobs, replay and tests all run exactly this. A stream without input (null)
 * is left out, with the families that need it.
 */
public final class PulseWorkflow {
    private PulseWorkflow() {}

    public static PulseOutputs build(PulseInputs inputs, PulseSettings settings) {
        List<DataStream<MetricRecord>> values = new ArrayList<>();
        List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();
        if (inputs.clicks != null) {
            MinuteWindows.Result pageViews = PageViewsPerMinute.compute(
                    ingest(inputs.clicks, Stream.CLICK, settings, deadLetters), settings);
            values.add(pageViews.values);
            deadLetters.add(pageViews.tooLate);
        }
        if (inputs.orders != null) {
            MinuteWindows.Result orders = OrdersPerMinute.compute(
                    ingest(inputs.orders, Stream.ORDER, settings, deadLetters), settings);
            values.add(orders.values);
            deadLetters.add(orders.tooLate);
        }
        if (inputs.ads != null) {
            // ad metrics come with their own family; ad events are already validated and dead-lettered here
            ingest(inputs.ads, Stream.AD, settings, deadLetters);
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no input: give clicks or orders");
        }
        DataStream<MetricRecord> all = union(values);
        return new PulseOutputs(
                all.filter(m -> m.isFinal).name("final-values"),
                all.filter(m -> !m.isFinal).name("running-updates"),
                union(deadLetters));
    }

    private static <T extends InputEvent> DataStream<T> ingest(DataStream<Parsed<T>> parsed, Stream stream,
                                                                PulseSettings settings,
                                                                List<DataStream<DeadLetter>> deadLetters) {
        Ingestion.Ingested<T> ingested = Ingestion.ingest(parsed, stream, settings);
        deadLetters.add(ingested.deadLetters);
        return ingested.events;
    }

    @SuppressWarnings("unchecked")
    private static <T> DataStream<T> union(List<DataStream<T>> streams) {
        return streams.size() == 1 ? streams.get(0)
                : streams.get(0).union(streams.subList(1, streams.size()).toArray(DataStream[]::new));
    }
}
