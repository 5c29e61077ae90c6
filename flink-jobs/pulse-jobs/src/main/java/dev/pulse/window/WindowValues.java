package dev.pulse.window;

import java.io.Serializable;
import java.util.Map;

/** Turns a window's sums for one key into the metric values it reports (one or more per window and key). */
@FunctionalInterface
public interface WindowValues extends Serializable {

    void emit(String key, long[] sums, ValueSink out);

    /** Receives each value with its metric name and labels. */
    @FunctionalInterface
    interface ValueSink {
        void value(String metricName, Map<String, String> labels, double value);
    }
}
