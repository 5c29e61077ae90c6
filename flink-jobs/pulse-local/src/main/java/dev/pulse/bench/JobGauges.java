package dev.pulse.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;

/**
 * The gauges the spike and recovery modes watch while the metrics job runs in this JVM: each Kafka source
 * partition's {@code currentOffset} (the offset of the last record the source emitted), the sources'
 * {@code pendingRecords} (what the pipeline-health dashboard shows as consumer lag) and each task's
 * {@code backPressuredTimeMsPerSecond}. A Flink metric reporter ({@link JobGaugesReporterFactory}); one instance
 * per JVM. Gauges of a task that failed are dropped when Flink removes them, so after a restart only the new
 * task's gauges count.
 */
public final class JobGauges implements MetricReporter {
    static final JobGauges INSTANCE = new JobGauges();
    static final String REPORTER = "metrics.reporter.bench-gauges.factory.class";

    private static final String CURRENT_OFFSET = "currentOffset";
    private static final String PENDING_RECORDS = "pendingRecords";
    private static final String BACK_PRESSURED = "backPressuredTimeMsPerSecond";
    /** RocksDB's estimate of the keys of a column family (one per state), when its native metrics are on. */
    private static final String ESTIMATED_KEYS = "rocksdb.estimate-num-keys";

    /** By "topic/partition". */
    private final Map<String, Gauge<?>> currentOffsets = new ConcurrentHashMap<>();
    private final Map<String, Gauge<?>> pendingRecords = new ConcurrentHashMap<>();
    private final Map<String, Gauge<?>> backPressured = new ConcurrentHashMap<>();
    /** By metric identifier; the column family is the variable {@code <column_family>}. */
    private final Map<String, Gauge<?>> estimatedKeys = new ConcurrentHashMap<>();
    private final Map<String, String> columnFamilies = new ConcurrentHashMap<>();

    private JobGauges() {}

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (!(metric instanceof Gauge<?> gauge)) {
            return;
        }
        Map<String, String> v = group.getAllVariables();
        switch (name) {
            // the Kafka source registers it under the key/value groups topic and partition
            case CURRENT_OFFSET -> {
                if (v.containsKey("<topic>") && v.containsKey("<partition>")) {
                    currentOffsets.put(v.get("<topic>") + "/" + v.get("<partition>"), gauge);
                }
            }
            case PENDING_RECORDS -> pendingRecords.put(group.getMetricIdentifier(name), gauge);
            case BACK_PRESSURED -> backPressured.put(group.getMetricIdentifier(name), gauge);
            case ESTIMATED_KEYS -> {
                if (v.containsKey("<column_family>")) {
                    estimatedKeys.put(group.getMetricIdentifier(name), gauge);
                    columnFamilies.put(group.getMetricIdentifier(name), v.get("<column_family>"));
                }
            }
            default -> { }
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        // only the same instance: a restarted task may already have registered its own under the same name
        currentOffsets.values().remove(metric);
        pendingRecords.values().remove(metric);
        backPressured.values().remove(metric);
        estimatedKeys.values().remove(metric);
    }

    /** Offset of the last record each source partition emitted ("topic/partition"; -1 before its first). */
    Map<String, Long> currentOffsets() {
        Map<String, Long> offsets = new java.util.TreeMap<>();
        currentOffsets.forEach((tp, g) -> offsets.put(tp, longValue(g)));
        return offsets;
    }

    /** The sources' pendingRecords summed, as the dashboard's consumer-lag panel sums them; -1 if none reports. */
    long pendingRecords() {
        long sum = 0;
        boolean any = false;
        for (Gauge<?> g : pendingRecords.values()) {
            long n = longValue(g);
            if (n >= 0) {
                sum += n;
                any = true;
            }
        }
        return any ? sum : -1;
    }

    /** The highest backPressuredTimeMsPerSecond of any task, as the dashboard's backpressure panel's top line. */
    long maxBackPressuredMsPerSecond() {
        long max = 0;
        for (Gauge<?> g : backPressured.values()) {
            max = Math.max(max, longValue(g));
        }
        return max;
    }

    /** RocksDB's estimate of the keys in a state (column family) summed over subtasks; -1 if none reports. */
    long estimatedKeys(String columnFamily) {
        long sum = 0;
        boolean any = false;
        for (Map.Entry<String, Gauge<?>> e : estimatedKeys.entrySet()) {
            if (columnFamily.equals(columnFamilies.get(e.getKey()))) {
                sum += Math.max(0, longValue(e.getValue()));
                any = true;
            }
        }
        return any ? sum : -1;
    }

    private static long longValue(Gauge<?> g) {
        try {
            return g.getValue() instanceof Number n ? n.longValue() : -1;
        } catch (RuntimeException e) {
            return -1; // a gauge of a task being torn down
        }
    }
}
