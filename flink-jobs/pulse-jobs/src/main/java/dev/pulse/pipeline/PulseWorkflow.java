package dev.pulse.pipeline;

import dev.pulse.config.PulseSettings;
import dev.pulse.ingestion.Ingestion;
import dev.pulse.model.AdEvent;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.MetricRecord;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import dev.pulse.orders.OrdersPerMinute;
import dev.pulse.traffic.PageViewsPerMinute;
import dev.pulse.window.MinuteWindows;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The metrics workflow, free of any source or sink: ingestion (validate, dead-letter, de-duplicate, lateness)
 * then each metric family. Kafka jobs, replay and tests all run exactly this.
 */
public final class PulseWorkflow {
    private PulseWorkflow() {}

    public static PulseOutputs build(PulseInputs inputs, PulseSettings settings) {
        Ingestion.Ingested<ClickEvent> clicks = Ingestion.ingest(inputs.clicks, Stream.CLICK, settings);
        Ingestion.Ingested<OrderEvent> orders = Ingestion.ingest(inputs.orders, Stream.ORDER, settings);
        // ad metrics come with their own family; ad events are already validated and dead-lettered here
        Ingestion.Ingested<AdEvent> ads = Ingestion.ingest(inputs.ads, Stream.AD, settings);

        MinuteWindows.Result pageViews = PageViewsPerMinute.compute(clicks.events, settings);
        MinuteWindows.Result orderValues = OrdersPerMinute.compute(orders.events, settings);

        DataStream<MetricRecord> values = pageViews.values.union(orderValues.values);
        return new PulseOutputs(
                values.filter(m -> m.isFinal).name("final-values"),
                values.filter(m -> !m.isFinal).name("running-updates"),
                clicks.deadLetters.union(orders.deadLetters, ads.deadLetters, pageViews.tooLate,
                        orderValues.tooLate));
    }
}
