package dev.pulse.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.pulse.time.Period;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One value of one metric for one window (schemas/metric.schema.json). Window bounds are already rendered
 * in the business time zone with their offset, exactly as written to Kafka.
 */
@JsonPropertyOrder({"name", "period", "labels", "window_start", "window_end", "value", "final"})
public class MetricRecord {
    public String name;
    /** The period's code: "minute" or "day" ({@link Period}). */
    public String period;
    /** Bounded dimensions only; sorted so the same series always serialises the same way. */
    public Map<String, String> labels = new TreeMap<>();
    public String windowStart;
    public String windowEnd;
    public double value;

    /** True once the watermark passed the window end; false for a running update of an open window. */
    @JsonProperty("final")
    public boolean isFinal;

    public MetricRecord() {}

    public MetricRecord(String name, Period period, Map<String, String> labels, String windowStart,
                        String windowEnd, double value, boolean isFinal) {
        this.name = name;
        this.period = period.code();
        this.labels = new TreeMap<>(labels);
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.value = value;
        this.isFinal = isFinal;
    }

    /** Identifies the series: the Kafka key, so one series' values stay in order on one partition. */
    public String seriesKey() {
        // sorted here too: a record deserialized by Flink carries its labels in a HashMap
        return name + "/" + period + new TreeMap<>(labels);
    }

    /** Identifies the series and window this value belongs to (a later value for the same key wins). */
    public String seriesWindowKey() {
        return seriesKey() + "@" + windowStart;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof MetricRecord)) return false;
        MetricRecord m = (MetricRecord) o;
        return Double.compare(value, m.value) == 0 && isFinal == m.isFinal && Objects.equals(name, m.name)
                && Objects.equals(period, m.period) && Objects.equals(labels, m.labels) && Objects.equals(windowStart, m.windowStart)
                && Objects.equals(windowEnd, m.windowEnd);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, period, labels, windowStart, windowEnd, value, isFinal);
    }

    @Override
    public String toString() {
        return name + "/" + period + labels + "[" + windowStart + ", " + windowEnd + ")=" + value + (isFinal ? " final" : " running");
    }
}
