package dev.pulse.replay;

import java.util.Objects;

/** One output line of a replay: a final metric value, a dead letter or an alert, already as JSON. A Flink POJO. */
public class ReplayRecord {
    public static final String METRIC = "metric";
    public static final String DEAD_LETTER = "dead-letter";
    public static final String ALERT = "alert";

    public String kind;
    /** For metric values: the series and window, so a later correction replaces an earlier value; alerts: the id. */
    public String key;
    /** For metric values: the window start as epoch millis, for ordering the output; alerts: when it fired. */
    public long windowStart;
    public String json;

    public ReplayRecord() {}

    public ReplayRecord(String kind, String key, long windowStart, String json) {
        this.kind = kind;
        this.key = key;
        this.windowStart = windowStart;
        this.json = json;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReplayRecord)) return false;
        ReplayRecord r = (ReplayRecord) o;
        return windowStart == r.windowStart && Objects.equals(kind, r.kind) && Objects.equals(key, r.key)
                && Objects.equals(json, r.json);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, key, windowStart, json);
    }
}
