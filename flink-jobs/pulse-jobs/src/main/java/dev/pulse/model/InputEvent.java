package dev.pulse.model;

import java.time.Instant;

/** What ingestion needs of every input event: its id (for de-duplication) and its event time. */
public interface InputEvent {
    String eventId();

    Instant eventTime();
}
