package dev.pulse.bench;

import dev.pulse.config.PulseSettings;
import dev.pulse.pipeline.MetricsJob;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * The metrics job on a MiniCluster in this JVM, and what the chaos mode does to it: one TaskManager with slots
 * for parallelism 3 (losing it fails every task; a new one takes over), submissions from a checkpoint or
 * savepoint, and the job's attempt number and checkpoints, from which recovery is measured.
 */
final class ChaosCluster implements AutoCloseable {
    static final int SLOTS = 3;
    private static final long TIMEOUT_SECONDS = 60;

    private final MiniCluster cluster;
    /** The MiniCluster numbers its TaskManagers in start order: the live one is the one started last. */
    private int liveTaskManager;

    private ChaosCluster(MiniCluster cluster) {
        this.cluster = cluster;
    }

    static ChaosCluster start(String managedMemory) throws Exception {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse(managedMemory));
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .withRandomPorts() // the web UI on a free port: other Flinks on this machine keep theirs
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(SLOTS)
                .build());
        cluster.start();
        return new ChaosCluster(cluster);
    }

    /** Submits the metrics job at this parallelism, restored from a checkpoint or savepoint unless null. */
    JobID submit(PulseSettings settings, int parallelism, String restoreFrom, String name) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                MetricsJob.flinkConfiguration(settings));
        MetricsJob.attach(env, settings);
        env.setParallelism(parallelism);
        StreamGraph streamGraph = env.getStreamGraph();
        streamGraph.setJobName(name);
        JobGraph graph = streamGraph.getJobGraph();
        if (restoreFrom != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(restoreFrom, false));
        }
        return cluster.submitJob(graph).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getJobID();
    }

    /** Terminates the TaskManager (its tasks fail) and starts a new one for the restarted tasks. */
    void loseTaskManager() throws Exception {
        cluster.terminateTaskManager(liveTaskManager++).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        cluster.startTaskManager();
    }

    /** Cancels the job (its checkpoints are retained) and returns once it is cancelled. */
    void cancel(JobID job) throws Exception {
        cluster.cancelJob(job).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        await(() -> status(job) == JobStatus.CANCELED, "the job to be cancelled");
    }

    /** Stops the job with a canonical savepoint in {@code folder}; returns the savepoint's path. */
    String stopWithSavepoint(JobID job, String folder) throws Exception {
        return cluster.stopWithSavepoint(job, folder, false, SavepointFormatType.CANONICAL)
                .get(2 * TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    JobStatus status(JobID job) {
        try {
            return cluster.getJobStatus(job).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the status of job " + job, e);
        }
    }

    /** The attempt number of the job's tasks: one more with every restart Flink makes. */
    int attempt(JobID job) throws Exception {
        return graph(job).getAllExecutionVertices().iterator().next().getCurrentExecutionAttempt().getAttemptNumber();
    }

    /** Whether the job and every one of its tasks run, in an attempt of at least {@code attempt}. */
    boolean runsAtLeast(JobID job, int attempt) throws Exception {
        return RunningTasks.allSince(graph(job), attempt);
    }

    /**
     * When the latest completed checkpoint was acknowledged, if it was triggered at or after {@code millis}
     * (epoch ms); else -1. Its completion commits the exactly-once sinks' transactions: output flows again.
     */
    long checkpointCompletedSince(JobID job, long millis) throws Exception {
        CompletedCheckpointStats latest = graph(job).getCheckpointStatsSnapshot().getHistory()
                .getLatestCompletedCheckpoint();
        return latest != null && latest.getTriggerTimestamp() >= millis ? latest.getLatestAckTimestamp() : -1;
    }

    /** How many checkpoints of the job have completed. */
    long completedCheckpoints(JobID job) throws Exception {
        return graph(job).getCheckpointStatsSnapshot().getCounts().getNumberOfCompletedCheckpoints();
    }

    private AccessExecutionGraph graph(JobID job) throws Exception {
        return cluster.getExecutionGraph(job).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** The latest completed checkpoint the job left in its folder (chk-N with its metadata). */
    static String latestCheckpoint(PulseSettings settings, JobID job) throws IOException {
        Path folder = Path.of(URI.create(settings.checkpointDir)).resolve(job.toHexString());
        try (var dirs = Files.list(folder)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .filter(d -> Files.exists(d.resolve("_metadata")))
                    .max(Comparator.comparingInt(d -> Integer.parseInt(d.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new IllegalStateException("no retained checkpoint in " + folder)).toString();
        }
    }

    /** Polls the condition every 50 ms until it holds, or fails after the timeout. */
    static long await(Check condition, String what) throws Exception {
        return await(condition, what, TimeUnit.SECONDS.toMillis(3 * TIMEOUT_SECONDS));
    }

    static long await(Check condition, String what, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.holds()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("timed out after " + timeoutMillis / 1000 + " s waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return System.currentTimeMillis();
    }

    /** A condition that may throw while it is checked. */
    interface Check {
        boolean holds() throws Exception;
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
