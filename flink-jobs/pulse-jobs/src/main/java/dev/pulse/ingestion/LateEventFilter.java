package dev.pulse.ingestion;

import dev.pulse.json.Json;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.DeadLetterReason;
import dev.pulse.model.InputEvent;
import dev.pulse.model.Stream;
import dev.pulse.time.BusinessTime;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decides once, before any metric family, whether an event is too late to count: its event-time minute closed
 * more than the allowed lateness before the current watermark. Such events become dead letters (too_late) and are
 * counted, so no window drops anything silently; events that are late but within the allowed lateness pass on
 * and correct the values already sent.
 *
 * <p>Downstream windows use the same minute and lateness and see a watermark no later than this operator's when
 * the event reaches them, so they accept everything that passes here.
 */
public class LateEventFilter<T extends InputEvent> extends ProcessFunction<T, T> {
    private static final long serialVersionUID = 1L;

    private final Stream stream;
    private final long allowedLatenessMs;
    private final BusinessTime businessTime;
    private transient Counter lateAccepted;
    private transient Counter tooLate;

    public LateEventFilter(Stream stream, Duration allowedLateness, BusinessTime businessTime) {
        this.stream = stream;
        this.allowedLatenessMs = allowedLateness.toMillis();
        this.businessTime = businessTime;
    }

    @Override
    public void open(OpenContext openContext) {
        lateAccepted = getRuntimeContext().getMetricGroup().counter("pulse_late_events_accepted");
        tooLate = getRuntimeContext().getMetricGroup().counter("pulse_late_events_dropped");
    }

    @Override
    public void processElement(T event, Context ctx, Collector<T> out) {
        long watermark = ctx.timerService().currentWatermark();
        long timestamp = event.eventTime().toEpochMilli();
        long minuteEnd = BusinessTime.minuteStart(timestamp) + BusinessTime.MINUTE_MS;
        // the same test Flink's window operator makes: window max timestamp + allowed lateness <= watermark
        if (minuteEnd - 1 + allowedLatenessMs <= watermark) {
            tooLate.inc();
            ctx.output(DeadLetters.TAG, new DeadLetter(stream, DeadLetterReason.TOO_LATE,
                    "event minute ended " + businessTime.format(minuteEnd) + ", more than the allowed lateness "
                            + Duration.ofMillis(allowedLatenessMs) + " before the watermark "
                            + businessTime.format(watermark),
                    Json.write(event), businessTime.format(timestamp)));
            return;
        }
        if (timestamp <= watermark) {
            lateAccepted.inc();
        }
        out.collect(event);
    }
}
