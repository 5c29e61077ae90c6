package dev.pulse.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why an input event could not be counted. A small fixed set: it is a Prometheus label. */
public enum DeadLetterReason {
    MALFORMED_JSON,
    MISSING_FIELD,
    WRONG_TYPE,
    UNKNOWN_EVENT_TYPE,
    INVALID_VALUE,
    UNSUPPORTED_CURRENCY,
    TOO_LATE,
    /** Event time further ahead of the wall clock than pulse.event-time.max-future: it would move the watermark. */
    FUTURE_EVENT_TIME,
    /** Larger than pulse.input.max-bytes. */
    OVERSIZED;

    @JsonValue
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static DeadLetterReason ofCode(String code) {
        return valueOf(code.toUpperCase(java.util.Locale.ROOT));
    }
}
