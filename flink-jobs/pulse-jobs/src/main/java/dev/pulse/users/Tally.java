package dev.pulse.users;

import java.util.Objects;

/**
 * One visitor's contribution to a count: "+1 to UV of organic|app" in the minute of the record's timestamp. The
 * per-visitor operator sends one the first time a visitor counts somewhere, never per event. A Flink POJO.
 */
public class Tally {
    /** The metric and its label values, e.g. {@code uv|organic|app}, {@code dau_total}. */
    public String key;
    public long value;

    public Tally() {}

    public Tally(String key, long value) {
        this.key = key;
        this.value = value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tally t && value == t.value && Objects.equals(key, t.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, value);
    }

    @Override
    public String toString() {
        return key + "+" + value;
    }
}
