package dev.pulse.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;

/**
 * Watches the record counters of every operator of the job in this JVM, without touching the job: when the first
 * record left a source, when the last record moved anywhere, and how many records each operator took in and put
 * out. A variant's throughput is timed from the first to the last record, so start-up and shutdown are excluded.
 *
 * <p>It is a Flink metric reporter ({@link RecordFlowReporterFactory}) that polls the counters it was given every
 * {@link #POLL_MILLIS} ms from its own thread: the times are exact to that poll. One instance per JVM, as each
 * variant runs in a JVM of its own.
 */
public final class RecordFlow implements MetricReporter {
    static final long POLL_MILLIS = 5;
    static final RecordFlow INSTANCE = new RecordFlow();

    private static final String RECORDS_IN = "numRecordsIn";
    private static final String RECORDS_OUT = "numRecordsOut";
    /** Only sources register this gauge (FLIP-27), which tells a source operator from the others. */
    private static final String SOURCE_MARKER = "sourceIdleTime";

    private final Map<String, Counter> recordsIn = new ConcurrentHashMap<>();
    private final Map<String, Counter> recordsOut = new ConcurrentHashMap<>();
    private final Map<String, Boolean> sources = new ConcurrentHashMap<>();
    private volatile long firstRecordMillis = -1;
    private volatile long lastChangeMillis = -1;
    private volatile Thread poller;

    private RecordFlow() {}

    @Override
    public void open(org.apache.flink.metrics.MetricConfig config) {
        startPolling();
    }

    @Override
    public void close() {
        // the poller is a daemon: it ends with the JVM, and the figures stay readable after the cluster stopped
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        String operator = group.getAllVariables().get("<operator_name>");
        if (operator == null) {
            return; // task and job level counters count the same records again
        }
        String key = operator + "#" + group.getAllVariables().get("<subtask_index>");
        if (RECORDS_IN.equals(name) && metric instanceof Counter c) {
            recordsIn.put(key, c);
        } else if (RECORDS_OUT.equals(name) && metric instanceof Counter c) {
            recordsOut.put(key, c);
        } else if (SOURCE_MARKER.equals(name)) {
            sources.put(key, true);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        // kept on purpose: the counts of a finished job are what the run reports
    }

    private synchronized void startPolling() {
        if (poller != null) {
            return;
        }
        poller = new Thread(this::poll, "bench-record-flow");
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        long lastTotal = 0;
        try {
            while (true) {
                long now = System.currentTimeMillis();
                long total = 0;
                for (Counter c : recordsIn.values()) {
                    total += c.getCount();
                }
                long fromSources = 0;
                for (Map.Entry<String, Counter> e : recordsOut.entrySet()) {
                    long n = e.getValue().getCount();
                    total += n;
                    if (sources.containsKey(e.getKey())) {
                        fromSources += n;
                    }
                }
                if (firstRecordMillis < 0 && fromSources > 0) {
                    firstRecordMillis = now;
                }
                if (total != lastTotal) {
                    lastTotal = total;
                    lastChangeMillis = now;
                }
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Wall-clock time of the first poll that saw a record leave a source; -1 before that. */
    long firstRecordMillis() {
        return firstRecordMillis;
    }

    /** Wall-clock time of the last poll that saw any counter move; -1 before that. */
    long lastChangeMillis() {
        return lastChangeMillis;
    }

    /** Records put out by the sources, summed over subtasks. */
    long sourceRecords() {
        long n = 0;
        for (Map.Entry<String, Counter> e : recordsOut.entrySet()) {
            if (sources.containsKey(e.getKey())) {
                n += e.getValue().getCount();
            }
        }
        return n;
    }

    /** Records taken in by each operator, summed over its subtasks, by operator name. */
    Map<String, Long> recordsInByOperator() {
        return sumByOperator(recordsIn);
    }

    /** Records put out by each operator, summed over its subtasks, by operator name. */
    Map<String, Long> recordsOutByOperator() {
        return sumByOperator(recordsOut);
    }

    private static Map<String, Long> sumByOperator(Map<String, Counter> counters) {
        Map<String, Long> sums = new TreeMap<>();
        counters.forEach((key, c) -> sums.merge(key.substring(0, key.lastIndexOf('#')), c.getCount(), Long::sum));
        return sums;
    }
}
