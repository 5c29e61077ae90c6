package dev.pulse.bench;

import dev.pulse.config.PulseSettings;
import dev.pulse.json.Json;
import dev.pulse.kafka.KafkaInputs;
import dev.pulse.local.LocalPorts;
import dev.pulse.pipeline.MetricsJob;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * One benchmark run, in a JVM of its own (started by {@link VariantProcess}): reads a {@link RunSpec}, runs the
 * variant on a MiniCluster of its own (one task manager, a slot per parallel subtask), and writes a
 * {@link RunResult}. Usage: {@code VariantMain SPEC.json RESULT.json}.
 */
public final class VariantMain {
    static final String REPORTER = "metrics.reporter.bench-flow.factory.class";
    static final String RUNNING_FILE = "running";
    static final String STOP_FILE = "stop";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(30);
    /** Several periodic watermark intervals (200 ms), well below the idle timeout. */
    private static final Duration WATERMARK_SETTLE = Duration.ofSeconds(3);
    private static final int SAVEPOINT_ATTEMPTS = 5;

    private VariantMain() {}

    public static void main(String[] args) throws Exception {
        RunSpec spec = Json.MAPPER.readValue(Path.of(args[0]).toFile(), RunSpec.class);
        RunResult result = new RunResult();
        result.variant = spec.variant;
        result.round = spec.round;
        result.runId = spec.runId;
        result.jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
        try {
            run(spec, Path.of(args[1]).toAbsolutePath().getParent(), result);
        } catch (Throwable e) {
            result.error = rootMessage(e);
        }
        Files.writeString(Path.of(args[1]), Json.write(result));
        // Flink's and Kafka's non-daemon threads must not keep a finished run alive
        System.exit(result.error == null ? 0 : 1);
    }

    private static void run(RunSpec spec, Path folder, RunResult result) throws Exception {
        Variant variant = Variant.of(spec.variant);
        PulseSettings settings = PulseSettings.from(spec.options);
        Configuration conf = clusterConfiguration(settings, spec);
        ThreadCpu cpu = ThreadCpu.start(() -> RecordFlow.INSTANCE.firstRecordMillis() >= 0);
        try (MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(settings.parallelism)
                .build())) {
            cluster.start();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            boolean measureState = spec.stateAfterRecords > 0;
            KafkaInputs.Range range = measureState || spec.live ? KafkaInputs.Range.unbounded(settings)
                    : KafkaInputs.Range.earliestToLatest();
            VariantJobs.attach(variant, env, settings, range, spec);
            StreamGraph graph = env.getStreamGraph();
            graph.setJobName("bench-" + spec.runId);
            java.util.List<String> uids = graph.getStreamNodes().stream().map(n -> n.getTransformationUID())
                    .filter(java.util.Objects::nonNull).toList();
            JobID job = cluster.submitJob(graph).get().getJobID();
            if (measureState) {
                measureState(cluster, job, spec.stateAfterRecords, folder, uids, result);
            } else if (spec.live) {
                runUntilStopped(cluster, job, folder);
                result.jobEndMillis = System.currentTimeMillis();
            } else {
                JobResult outcome = cluster.requestJobResult(job).get(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                result.jobEndMillis = System.currentTimeMillis();
                if (!outcome.isSuccess()) {
                    throw outcome.getSerializedThrowable()
                            .map(t -> (Throwable) t.deserializeError(VariantMain.class.getClassLoader()))
                            .map(t -> new IllegalStateException("the job failed: " + rootMessage(t), t))
                            .orElseGet(() -> new IllegalStateException("the job ended " + outcome.getApplicationStatus()));
                }
            }
            // flow figures first: the poller stops seeing changes once the job is gone
            result.firstRecordMillis = RecordFlow.INSTANCE.firstRecordMillis();
            result.lastRecordMillis = RecordFlow.INSTANCE.lastChangeMillis();
            result.sourceRecords = RecordFlow.INSTANCE.sourceRecords();
            result.recordsInByOperator = RecordFlow.INSTANCE.recordsInByOperator();
            result.recordsOutByOperator = RecordFlow.INSTANCE.recordsOutByOperator();
            AccessExecutionGraph graphInfo = cluster.getArchivedExecutionGraph(job).get(1, TimeUnit.MINUTES);
            result.checkpoints = CheckpointFigures.of(graphInfo.getCheckpointStatsSnapshot());
        } finally {
            if (cpu != null) {
                result.cpuSecondsByThread = cpu.secondsByThread();
                cpu.close();
            }
        }
    }

    /** Waits until the sources have read everything, takes a savepoint, records each task's state, cancels. */
    private static void measureState(MiniCluster cluster, JobID job, long records, Path folder,
                                     java.util.Collection<String> uids, RunResult result) throws Exception {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (RecordFlow.INSTANCE.sourceRecords() < records) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the sources read " + RecordFlow.INSTANCE.sourceRecords() + " of "
                        + records + " records in " + RUN_TIMEOUT.toMinutes() + " min");
            }
            if (cluster.getJobStatus(job).get().isGloballyTerminalState()) {
                throw new IllegalStateException("the job ended before reading all input");
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        // the watermark is emitted periodically: let it catch up with the last records (and the timers it drives
        // clear what the horizon no longer holds) before the snapshot
        TimeUnit.MILLISECONDS.sleep(WATERMARK_SETTLE.toMillis());
        RunningTasks.await(cluster, job, deadline);
        String savepoint = savepoint(cluster, job, folder, deadline);
        result.state = CheckpointFigures.operatorStates(savepoint, uids);
        cluster.cancelJob(job).get(1, TimeUnit.MINUTES);
        result.jobEndMillis = System.currentTimeMillis();
    }

    /**
     * The barrier follows every record the sources have emitted: all of them are in this state. A canonical
     * savepoint holds the live keys and values only (a RocksDB checkpoint would also carry versions and deletions
     * not yet compacted away), which is what the state per key is about. Flink declines one while a periodic
     * checkpoint is still being taken or a task is not yet running (a loaded machine): then it is tried again.
     */
    private static String savepoint(MiniCluster cluster, JobID job, Path folder, long deadline) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return cluster.triggerSavepoint(job, folder.resolve("savepoint").toUri().toString(), false,
                        SavepointFormatType.CANONICAL).get(10, TimeUnit.MINUTES);
            } catch (ExecutionException e) {
                if (attempt == SAVEPOINT_ATTEMPTS || System.nanoTime() > deadline
                        || cluster.getJobStatus(job).get().isGloballyTerminalState()) {
                    throw new IllegalStateException("no savepoint in " + attempt + " attempts: " + rootMessage(e), e);
                }
                System.err.println("savepoint attempt " + attempt + " declined, trying again: " + rootMessage(e));
                TimeUnit.SECONDS.sleep(1);
            }
        }
    }

    /** Tells the benchmark the job runs, then runs it until the benchmark asks it to stop. */
    private static void runUntilStopped(MiniCluster cluster, JobID job, Path folder) throws Exception {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        RunningTasks.await(cluster, job, deadline);
        Files.writeString(folder.resolve(RUNNING_FILE), Long.toString(System.currentTimeMillis()));
        while (!Files.exists(folder.resolve(STOP_FILE))) {
            if (System.nanoTime() > deadline || cluster.getJobStatus(job).get().isGloballyTerminalState()) {
                throw new IllegalStateException("the job ended before it was stopped: " + cluster.getJobStatus(job).get());
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        cluster.cancelJob(job).get(1, TimeUnit.MINUTES);
    }

    /**
     * The job's own configuration, then Flink options the user gave ({@code -Dstate.backend.rocksdb...}: they win,
     * as with {@code pulse run}), then the local cluster's: loopback only, the record-flow reporter, memory.
     */
    static Configuration clusterConfiguration(PulseSettings settings, RunSpec spec) {
        Configuration conf = MetricsJob.flinkConfiguration(settings);
        conf.addAll(Configuration.fromMap(spec.options));
        conf.set(RestOptions.BIND_ADDRESS, LocalPorts.HOST);
        conf.set(RestOptions.ADDRESS, LocalPorts.HOST);
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(JobManagerOptions.BIND_HOST, LocalPorts.HOST);
        conf.set(TaskManagerOptions.BIND_HOST, LocalPorts.HOST);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse(spec.managedMemory));
        conf.setString(REPORTER, RecordFlowReporterFactory.class.getName());
        return conf;
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? String.valueOf(t) : t.getMessage() + " (" + root + ")";
    }
}
