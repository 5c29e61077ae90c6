package dev.pulse.window;

import java.io.Serializable;
import java.util.Map;

/** Turns a window's sums for one key into the metric values it reports (one or more per window and key). */
@FunctionalInterface
public interface WindowValues extends Serializable {

    void emit(String key, long[] sums, ValueSink out);

    /** One sum of a key's window; a key's sums are only as long as the highest slot it received. */
    static long sum(long[] sums, int slot) {
        return slot < sums.length ? sums[slot] : 0;
    }

    /** Receives each value with its metric name and labels. */
    @FunctionalInterface
    interface ValueSink {
        void value(String metricName, Map<String, String> labels, double value);
    }
}
