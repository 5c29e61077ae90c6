package dev.pulse.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the benchmark asks of one run in its own JVM (written as JSON for {@link VariantMain}): the variant, the
 * Pulse options of the run (servers, topics, consumer group, checkpoints); for the state measurement the
 * number of input records to wait for; for the latency mode, that the job runs until told to stop.
 */
public class RunSpec {
    public String variant;
    public int round;
    public String runId;
    /** pulse.* options of this run (PulseSettings reads them); the bench sets topics, group and checkpoints. */
    public Map<String, String> options = new LinkedHashMap<>();
    /** Output topics of the SQL twin, by table. */
    public Map<String, String> sqlTopics = new LinkedHashMap<>();
    /** Managed memory of the run's task manager (RocksDB's block cache and write buffers come from it). */
    public String managedMemory = "512m";
    /** 0: a bounded read of the topics, timed. Otherwise: read unbounded until this many records, then snapshot state. */
    public long stateAfterRecords;
    /**
     * Live mode (latency): read unbounded from the start, write {@value VariantMain#RUNNING_FILE} into the run's
     * folder once the job runs, and stop when {@value VariantMain#STOP_FILE} appears there.
     */
    public boolean live;

    public RunSpec() {}
}
