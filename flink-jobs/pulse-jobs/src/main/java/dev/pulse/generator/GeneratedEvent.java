package dev.pulse.generator;

import dev.pulse.model.Stream;
import java.time.Instant;

/**
 * One line the generator sends: the JSON as it goes on the wire, the Kafka key (the user, or the device of an
 * anonymous visitor, so one visitor's events stay in order on one partition), when it happened and when it is
 * delivered. {@code label} says what was injected ({@code late}, {@code duplicate}, {@code malformed:<reason>},
 * {@code fraud:<rule>}, ...) and is null for ordinary traffic; it never appears inside the JSON.
 * {@code eventId} is the event id the line carries (a duplicate repeats its original's id).
 */
public record GeneratedEvent(Stream stream, String key, String json, Instant eventTime, Instant arrivalTime,
                             String label, String eventId) {

    @Override
    public String toString() {
        // ids of people and devices stay out of logs: the key is left out on purpose
        return "GeneratedEvent{" + stream.code() + ", " + eventTime + ", arrives " + arrivalTime
                + (label == null ? "" : ", " + label) + "}";
    }
}
