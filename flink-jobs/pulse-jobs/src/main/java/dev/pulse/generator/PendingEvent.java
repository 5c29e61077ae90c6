package dev.pulse.generator;

import dev.pulse.model.Stream;

/** A generated event waiting for its turn in event-time order; {@code seq} breaks ties by creation order. */
record PendingEvent(long time, long seq, Stream stream, String key, Object event, String eventId, String label) {}
