package dev.pulse.ingestion;

import dev.pulse.catalog.JobMetric;
import dev.pulse.json.Json;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.DeadLetterReason;
import dev.pulse.model.InputEvent;
import dev.pulse.model.Stream;
import dev.pulse.time.BusinessTime;
import dev.pulse.time.Period;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;

/**
 * What every stream's admission operator shares: when an event is too late to count (its period, the smallest
 * any family computes on the stream, ended more than the allowed lateness before the watermark, as the windows
 * downstream test it), its dead letter, and the counters of duplicates and of late events accepted and dropped.
 */
final class Admission implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Stream stream;
    private final Period period;
    private final long allowedLatenessMs;
    private final BusinessTime businessTime;
    private transient Counter duplicates;
    private transient Counter lateAccepted;
    private transient Counter tooLate;

    Admission(Stream stream, Period period, Duration allowedLateness, BusinessTime businessTime) {
        this.stream = stream;
        this.period = period;
        this.allowedLatenessMs = allowedLateness.toMillis();
        this.businessTime = businessTime;
    }

    /** Registers the counters under the operator's metric group (in the operator's {@code open}). */
    void open(MetricGroup operator) {
        duplicates = JobMetric.DUPLICATES_DROPPED.register(operator, stream.code());
        lateAccepted = JobMetric.LATE_EVENTS_ACCEPTED.register(operator, stream.code());
        tooLate = JobMetric.LATE_EVENTS_DROPPED.register(operator, stream.code());
    }

    /** A second copy dropped. */
    void duplicate() {
        duplicates.inc();
    }

    /**
     * Whether the event is too late to count at this watermark; if so it is counted and its dead letter sent to
     * {@link DeadLetters#TAG}.
     */
    boolean rejectTooLate(InputEvent event, long eventTime, long watermark, KeyedProcessFunction<?, ?, ?>.Context ctx) {
        if (lastCounts(eventTime) > watermark) {
            return false;
        }
        tooLate.inc();
        ctx.output(DeadLetters.TAG, deadLetter(event, watermark));
        return true;
    }

    /** An event admitted: counted as a late one accepted if it is behind the watermark. */
    void admitted(long eventTime, long watermark) {
        if (eventTime <= watermark) {
            lateAccepted.inc();
        }
    }

    long allowedLatenessMs() {
        return allowedLatenessMs;
    }

    /** The watermark from which an event of this time is too late: its period's end + lateness. */
    long lastCounts(long eventTime) {
        return period.end(eventTime, businessTime.zone()) - 1 + allowedLatenessMs;
    }

    private DeadLetter deadLetter(InputEvent event, long watermark) {
        long timestamp = event.eventTime().toEpochMilli();
        long periodEnd = period.end(timestamp, businessTime.zone());
        return new DeadLetter(stream, DeadLetterReason.TOO_LATE,
                "event " + period.code() + " ended " + businessTime.format(periodEnd) + ", more than the allowed "
                        + "lateness " + Duration.ofMillis(allowedLatenessMs) + " before the watermark "
                        + businessTime.format(watermark),
                Json.write(event), businessTime.format(timestamp));
    }
}
