package dev.pulse.bench;

import dev.pulse.json.Json;
import dev.pulse.model.AlertRecord;
import dev.pulse.model.MetricRecord;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one run of the chaos mode wrote for the windows that start before a cut-off (the close-out's business day):
 * every final value of each series and window in the order committed (more than one only for a correction, or a
 * value counted twice), the final alerts as written, and the last running value of each window on the live topic.
 * Keys are {@link MetricRecord#seriesWindowKey()}.
 */
record RunOutputs(Map<String, List<Double>> finals, List<String> alerts, Map<String, Double> lastRunning) {

    static RunOutputs of(List<String> finalValues, List<String> alertRecords, List<String> runningValues,
                         Instant windowsBefore) {
        Map<String, List<Double>> finals = new TreeMap<>();
        for (String json : finalValues) {
            MetricRecord m = Json.read(json, MetricRecord.class);
            if (startsBefore(m, windowsBefore)) {
                finals.computeIfAbsent(m.seriesWindowKey(), k -> new ArrayList<>()).add(m.value);
            }
        }
        Map<String, Double> lastRunning = new TreeMap<>();
        for (String json : runningValues) {
            MetricRecord m = Json.read(json, MetricRecord.class);
            if (startsBefore(m, windowsBefore)) {
                lastRunning.put(m.seriesWindowKey(), m.value);
            }
        }
        List<String> alerts = new ArrayList<>();
        for (String json : alertRecords) {
            AlertRecord a = Json.read(json, AlertRecord.class);
            if (OffsetDateTime.parse(a.windowStart).toInstant().isBefore(windowsBefore)) {
                alerts.add(json);
            }
        }
        return new RunOutputs(finals, alerts, lastRunning);
    }

    private static boolean startsBefore(MetricRecord m, Instant instant) {
        return OffsetDateTime.parse(m.windowStart).toInstant().isBefore(instant);
    }

    /** The value a window ends with: its last final value, or null if it has none. */
    Double finalValue(String key) {
        List<Double> values = finals.get(key);
        return values == null ? null : values.get(values.size() - 1);
    }
}
