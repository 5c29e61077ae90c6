package dev.pulse.window;

import java.util.Arrays;
import java.util.Objects;

/** Sums of one key over part of one window's events, counted before the shuffle to the key's window. */
public class PartialSums extends WindowPartial {
    public long[] sums;

    public PartialSums() {}

    public PartialSums(String key, long windowStart, long[] sums) {
        super(key, windowStart);
        this.sums = sums;
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
