package dev.pulse.ingestion;

import dev.pulse.config.PulseSettings;
import dev.pulse.model.InputEvent;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/** Event-time watermarks: bounded out-of-orderness, and idle partitions do not hold windows back. */
public final class EventWatermarks {
    private EventWatermarks() {}

    /** For parsed records straight from a source; dead letters carry no event time and never move the watermark. */
    public static <T extends InputEvent> WatermarkStrategy<Parsed<T>> forParsed(PulseSettings settings) {
        return WatermarkStrategy.<Parsed<T>>forBoundedOutOfOrderness(settings.outOfOrderness)
                .withTimestampAssigner((parsed, recordTimestamp) ->
                        parsed.isValid() ? parsed.event.eventTime().toEpochMilli() : Long.MIN_VALUE)
                .withIdleness(settings.idleTimeout);
    }
}
