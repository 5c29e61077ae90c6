package dev.pulse.ingestion;

import dev.pulse.json.Json;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.DeadLetterReason;
import dev.pulse.model.InputEvent;
import dev.pulse.model.Stream;
import dev.pulse.time.BusinessTime;
import dev.pulse.time.Period;
import java.io.Serializable;
import java.time.Duration;

/**
 * When an event of a stream is too late to count: its period (the smallest any family computes on the stream)
 * ended more than the allowed lateness before the watermark, as the windows downstream test it. Shared by the
 * admission operators.
 */
final class Lateness implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Stream stream;
    private final Period period;
    private final long allowedLatenessMs;
    private final BusinessTime businessTime;

    Lateness(Stream stream, Period period, Duration allowedLateness, BusinessTime businessTime) {
        this.stream = stream;
        this.period = period;
        this.allowedLatenessMs = allowedLateness.toMillis();
        this.businessTime = businessTime;
    }

    long allowedLatenessMs() {
        return allowedLatenessMs;
    }

    /** The watermark from which an event of this time is too late: its period's end + lateness. */
    long lastCounts(long eventTime) {
        return period.end(eventTime, businessTime.zone()) - 1 + allowedLatenessMs;
    }

    boolean tooLate(long eventTime, long watermark) {
        return lastCounts(eventTime) <= watermark;
    }

    DeadLetter deadLetter(InputEvent event, long watermark) {
        long timestamp = event.eventTime().toEpochMilli();
        long periodEnd = period.end(timestamp, businessTime.zone());
        return new DeadLetter(stream, DeadLetterReason.TOO_LATE,
                "event " + period.code() + " ended " + businessTime.format(periodEnd) + ", more than the allowed "
                        + "lateness " + Duration.ofMillis(allowedLatenessMs) + " before the watermark "
                        + businessTime.format(watermark),
                Json.write(event), businessTime.format(timestamp));
    }
}
