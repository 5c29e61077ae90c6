package dev.pulse.window;

import java.util.Arrays;
import java.util.Objects;

/**
 * Sums of one key (bounded labels, e.g. {@code organic|app}) over part of one window's events, counted before
 * the shuffle to the key's window. A Flink POJO; the record's timestamp is the window's start.
 */
public class PartialSums implements WindowPartial {
    public String key;
    public long windowStart;
    public long[] sums;

    public PartialSums() {}

    public PartialSums(String key, long windowStart, long[] sums) {
        this.key = key;
        this.windowStart = windowStart;
        this.sums = sums;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public long windowStart() {
        return windowStart;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartialSums p && windowStart == p.windowStart && Objects.equals(key, p.key)
                && Arrays.equals(sums, p.sums);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, windowStart) * 31 + Arrays.hashCode(sums);
    }

    @Override
    public String toString() {
        return key + "@" + windowStart + Arrays.toString(sums);
    }
}
