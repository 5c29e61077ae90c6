package dev.pulse.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What one run measured, written by {@link VariantMain} as JSON and read back by the benchmark. */
public class RunResult {
    public String variant;
    public int round;
    public String runId;
    /** Wall-clock milliseconds: JVM start, first record out of a source, last record moved, job finished. */
    public long jvmStartMillis;
    public long firstRecordMillis;
    public long lastRecordMillis;
    public long jobEndMillis;
    /** Records the sources read (every input topic the variant reads). */
    public long sourceRecords;
    public Map<String, Long> recordsInByOperator = new TreeMap<>();
    public Map<String, Long> recordsOutByOperator = new TreeMap<>();
    public Checkpoints checkpoints = new Checkpoints();
    /** The state measurement only: savepoint size of each stateful operator, by uid. */
    public List<TaskState> state = new ArrayList<>();
    /** Records delivered, by output (filled in by the benchmark after the run). */
    public Map<String, Long> outputRecords = new TreeMap<>();
    /** CPU seconds each group of the run JVM's threads used from the first record on ({@link ThreadCpu}). */
    public Map<String, Double> cpuSecondsByThread = new TreeMap<>();
    /** The JFR recording of this run, if one was made. */
    public String profile;
    /** Why the run failed; null when it did not. */
    public String error;

    public RunResult() {}

    double eventsPerSecond() {
        long millis = processingMillis();
        return millis <= 0 ? 0 : sourceRecords * 1000.0 / millis;
    }

    long processingMillis() {
        return lastRecordMillis - firstRecordMillis;
    }

    long startupMillis() {
        return firstRecordMillis - jvmStartMillis;
    }

    long teardownMillis() {
        return jobEndMillis - lastRecordMillis;
    }

    /** Checkpoints of one run, from Flink's checkpoint statistics. */
    public static class Checkpoints {
        public long completed;
        public long failed;
        public long durationP50Millis;
        public long durationMaxMillis;
        /** Full state size of the largest checkpoint (all files it refers to, incremental or not). */
        public long maxStateBytes;
        /** Bytes the largest checkpoint wrote itself (an incremental checkpoint writes only what changed). */
        public long maxCheckpointedBytes;

        public Checkpoints() {}
    }

    /** The state one operator (by uid) holds in a savepoint. */
    public static class TaskState {
        public String task;
        public long bytes;

        public TaskState() {}

        public TaskState(String task, long bytes) {
            this.task = task;
            this.bytes = bytes;
        }
    }
}
