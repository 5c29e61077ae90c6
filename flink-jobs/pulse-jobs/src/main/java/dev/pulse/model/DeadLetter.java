package dev.pulse.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** An input event the pipeline could not count, with why (schemas/dead-letter.schema.json). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeadLetter {
    /** The raw input is cut here so one huge message cannot blow up the dead-letter topic. */
    public static final int MAX_RAW_CHARS = 64 * 1024;

    public String stream;
    public DeadLetterReason reason;
    public String detail;
    public String raw;
    /** Set when the event could be parsed (too_late), in the business time zone. */
    public String eventTime;

    public DeadLetter() {}

    public DeadLetter(Stream stream, DeadLetterReason reason, String detail, String raw, String eventTime) {
        this.stream = stream.code();
        this.reason = reason;
        this.detail = detail;
        this.raw = raw == null ? "" : raw.length() > MAX_RAW_CHARS ? raw.substring(0, MAX_RAW_CHARS) : raw;
        this.eventTime = eventTime;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof DeadLetter)) return false;
        DeadLetter d = (DeadLetter) o;
        return Objects.equals(stream, d.stream) && reason == d.reason && Objects.equals(detail, d.detail)
                && Objects.equals(raw, d.raw) && Objects.equals(eventTime, d.eventTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, reason, detail, raw, eventTime);
    }

    @Override
    public String toString() {
        // the raw input may carry personal data: never in logs
        return "DeadLetter{" + stream + ", " + (reason == null ? null : reason.code()) + ", " + detail + "}";
    }
}
