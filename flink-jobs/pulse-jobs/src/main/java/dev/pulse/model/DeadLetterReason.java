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
    TOO_LATE;

    @JsonValue
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static DeadLetterReason ofCode(String code) {
        return valueOf(code.toUpperCase(java.util.Locale.ROOT));
    }
}
