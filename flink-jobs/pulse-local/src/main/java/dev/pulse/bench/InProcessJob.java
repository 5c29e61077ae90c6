package dev.pulse.bench;

import dev.pulse.config.PulseSettings;
import dev.pulse.kafka.KafkaInputs;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * The metrics job on live (unbounded) input in a MiniCluster of this JVM, for the spike and recovery modes: they
 * read the job's gauges ({@link JobGauges}) directly and, for recovery, lose and replace its one TaskManager.
 * Configured as a {@link VariantMain} run ({@link VariantMain#clusterConfiguration}), plus the gauge reporter.
 */
final class InProcessJob implements AutoCloseable {
    private final MiniCluster cluster;
    private final JobID job;
    /** The MiniCluster numbers its TaskManagers in start order: the live one is the one started last. */
    private int liveTaskManager;

    private InProcessJob(MiniCluster cluster, JobID job) {
        this.cluster = cluster;
        this.job = job;
    }

    /**
     * The spec of a live run of the metrics job, after emptying the input topics ({@code partitions} each, the
     * broker's append time) and the run's output topics.
     */
    static RunSpec liveSpec(BenchTopics topics, RunSpecs specs, String runId, int partitions) throws Exception {
        topics.recreate(BenchInput.topics().values(), partitions, true);
        RunSpec spec = specs.spec(Variant.PULSE, 1, runId);
        spec.live = true;
        topics.recreate(RunSpecs.outputTopics(Variant.PULSE, spec.runId), 1, false);
        return spec;
    }

    /** Starts the cluster and submits the job; returns once every task runs, or fails after {@code timeout}. */
    static InProcessJob start(RunSpec spec, Duration timeout) throws Exception {
        PulseSettings settings = PulseSettings.from(spec.options);
        Configuration conf = VariantMain.clusterConfiguration(settings, spec);
        conf.setString(JobGauges.REPORTER, JobGaugesReporterFactory.class.getName());
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(settings.parallelism)
                .build());
        try {
            cluster.start();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            VariantJobs.attach(Variant.PULSE, env, settings, KafkaInputs.Range.unbounded(settings), spec);
            StreamGraph graph = env.getStreamGraph();
            graph.setJobName("bench-" + spec.runId);
            InProcessJob started = new InProcessJob(cluster, cluster.submitJob(graph).get().getJobID());
            started.awaitRunning(timeout);
            return started;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    /** Waits until the job and every one of its tasks run (after a start or a restart). */
    void awaitRunning(Duration timeout) throws Exception {
        RunningTasks.await(cluster, job, System.nanoTime() + timeout.toNanos());
    }

    boolean allTasksRunning() throws Exception {
        return RunningTasks.all(executionGraph());
    }

    AccessExecutionGraph executionGraph() throws Exception {
        return cluster.getExecutionGraph(job).get(1, TimeUnit.MINUTES);
    }

    /** Kills the one TaskManager (every task of the job fails with it) and starts a fresh one in its place. */
    void replaceTaskManager() throws Exception {
        cluster.terminateTaskManager(liveTaskManager).get(1, TimeUnit.MINUTES);
        cluster.startTaskManager();
        liveTaskManager++;
    }

    @Override
    public void close() throws Exception {
        try {
            if (!cluster.getJobStatus(job).get().isGloballyTerminalState()) {
                cluster.cancelJob(job).get(1, TimeUnit.MINUTES);
            }
        } finally {
            cluster.close();
        }
    }
}
