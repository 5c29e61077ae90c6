package dev.pulse.pipeline;

import dev.pulse.ingestion.Parsed;
import dev.pulse.model.AdEvent;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.OrderEvent;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The three input streams, parsed, with event-time timestamps and watermarks (from Kafka, files or tests); a
 * stream may be null when there is no input for it.
 */
public final class PulseInputs {
    public final DataStream<Parsed<ClickEvent>> clicks;
    public final DataStream<Parsed<OrderEvent>> orders;
    public final DataStream<Parsed<AdEvent>> ads;

    public PulseInputs(DataStream<Parsed<ClickEvent>> clicks, DataStream<Parsed<OrderEvent>> orders,
                       DataStream<Parsed<AdEvent>> ads) {
        this.clicks = clicks;
        this.orders = orders;
        this.ads = ads;
    }
}
