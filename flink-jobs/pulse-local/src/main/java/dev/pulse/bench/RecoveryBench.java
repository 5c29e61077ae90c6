package dev.pulse.bench;

import dev.pulse.config.PulseSettings;
import dev.pulse.generator.GeneratorRunner;
import dev.pulse.generator.GeneratorStats;
import dev.pulse.model.Stream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecution;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;

/**
 * The recovery mode: the metrics job, in a MiniCluster of this JVM, first reads a history that puts
 * {@code visitors} tracked visitors into its state ({@link VisitorHistory}), then runs on live traffic at a
 * moderate rate; {@code kills} times, {@link #KILL_AFTER_CHECKPOINT} after a checkpoint completed, its one
 * TaskManager is killed and a fresh one started, and the time from the kill to a consumer lag of zero is measured
 * ({@link ConsumerLag}, sampled every {@link #POLL}), with its parts: until every task is deployed again (failure
 * detection, the restart strategy's delay, slots), until every task restores its state, until every task runs,
 * until the job has caught up (what came in since the checkpoint and during the outage).
 */
final class RecoveryBench {
    /** When in the checkpoint interval the kill comes: the restore then replays this much input. */
    static final Duration KILL_AFTER_CHECKPOINT = Duration.ofSeconds(5);
    static final Duration POLL = Duration.ofMillis(50);
    /** The state VisitorActivity keeps per visitor (its RocksDB column family). */
    static final String VISITOR_STATE = "visitor";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration HISTORY_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(5);

    record Plan(long visitors, double rate, int kills, int partitions, int parallelism, String managedMemory,
                Path workDir, Map<String, String> pulseOptions) {}

    /**
     * One kill, epoch milliseconds: killed, every task deployed again, every task restoring its state
     * (INITIALIZING), every task running, caught up (-1: not within the timeout); the checkpoint it restored and
     * the lag at its highest.
     */
    record Kill(long killedAt, long deployedAt, long initializingAt, long runningAt, long caughtUpAt,
                long restoredCheckpoint,
                long restoredStateBytes, long peakLag) {
        long totalMillis() {
            return caughtUpAt < 0 ? -1 : caughtUpAt - killedAt;
        }
    }

    /**
     * @param historySeconds from the job running to the history read (lag zero)
     * @param stateBytes full size of the last checkpoint before the first kill
     * @param visitorKeys RocksDB's estimate of the keys in the visitor state before the first kill
     */
    record Outcome(long historyEvents, double historySeconds, long stateBytes, long visitorKeys, List<Kill> kills,
                   PulseSettings settings, Map<String, String> flinkOptions) {}

    private final Plan plan;
    private final String bootstrapServers;
    private final BenchTopics topics;
    private final PrintStream out;

    RecoveryBench(Plan plan, String bootstrapServers, BenchTopics topics, PrintStream out) {
        this.plan = plan;
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.out = out;
    }

    Outcome run() throws Exception {
        RunSpec spec = InProcessJob.liveSpec(topics, new RunSpecs(plan.pulseOptions(), plan.parallelism(),
                plan.managedMemory(), plan.workDir(), bootstrapServers), "recovery", plan.partitions());
        // RocksDB's key estimate per state, with the state's name as a metric variable: the visitors in state
        spec.options.putIfAbsent("state.backend.rocksdb.metrics.estimate-num-keys", "true");
        spec.options.putIfAbsent("state.backend.rocksdb.metrics.column-family-as-variable", "true");
        PulseSettings settings = PulseSettings.from(spec.options);

        out.printf(Locale.ROOT, "  recovery   writing a history of %,d visitors%n", plan.visitors());
        VisitorHistory.write(bootstrapServers, settings.kafkaProperties, BenchInput.topics().get(Stream.CLICK),
                plan.visitors(), Instant.now());
        List<Kill> kills = new ArrayList<>();
        try (InProcessJob job = InProcessJob.start(spec, START_TIMEOUT);
             LagSampler lag = new LagSampler(bootstrapServers, settings.kafkaProperties, BenchInput.topics().values(),
                     plan.partitions(), () -> 0, null)) {
            long running = System.currentTimeMillis();
            long historyRead = awaitLagZero(lag, running, HISTORY_TIMEOUT, new long[1]);
            if (historyRead < 0) {
                throw new IllegalStateException("the job did not read the history within " + HISTORY_TIMEOUT);
            }
            out.printf(Locale.ROOT, "  recovery   history read in %.1f s; live traffic at %,.0f events/s%n",
                    (historyRead - running) / 1000.0, plan.rate());
            try (TimedEventWriter writer = new TimedEventWriter(bootstrapServers, settings.kafkaProperties,
                    BenchInput.topics(), new SeriesWindows(), new AppendLog(), new AlertLatency())) {
                GeneratorRunner runner = new GeneratorRunner(SpikeBench.generator(settings, 1, plan.rate()), writer,
                        new GeneratorStats());
                Thread traffic = new Thread(runner, "bench-recovery-traffic");
                traffic.start();
                long stateBytes = 0;
                long visitorKeys = -1;
                long settled = historyRead;
                try {
                    for (int k = 1; k <= plan.kills(); k++) {
                        CompletedCheckpointStats checkpoint = awaitCheckpointAfter(job, settled);
                        TimeUnit.MILLISECONDS.sleep(Math.max(0, checkpoint.getLatestAckTimestamp()
                                + KILL_AFTER_CHECKPOINT.toMillis() - System.currentTimeMillis()));
                        if (k == 1) {
                            stateBytes = checkpoint.getStateSize();
                            visitorKeys = JobGauges.INSTANCE.estimatedKeys(VISITOR_STATE);
                        }
                        Kill kill = killAndRecover(job, lag);
                        kills.add(kill);
                        out.printf(Locale.ROOT, "  recovery   kill %d: lag zero %.1f s after the kill (deployed "
                                        + "%.1f s, running %.1f s)%n", k, kill.totalMillis() / 1000.0,
                                (kill.deployedAt() - kill.killedAt()) / 1000.0,
                                (kill.runningAt() - kill.killedAt()) / 1000.0);
                        if (kill.caughtUpAt() < 0) {
                            break;
                        }
                        settled = kill.caughtUpAt();
                    }
                } finally {
                    runner.stop();
                    traffic.join(TimeUnit.SECONDS.toMillis(10));
                }
                return new Outcome(plan.visitors(), (historyRead - running) / 1000.0, stateBytes, visitorKeys, kills,
                        settings, RecoveryReport.flinkOptions(spec.options));
            }
        }
    }

    /** Kills the TaskManager and follows the job until the lag is zero again. */
    private static Kill killAndRecover(InProcessJob job, LagSampler lag) throws Exception {
        int attempt = attempt(job.executionGraph());
        long killedAt = System.currentTimeMillis();
        job.replaceTaskManager();
        long deadline = killedAt + RECOVERY_TIMEOUT.toMillis();
        long[] peak = new long[1];
        AccessExecutionGraph graph = job.executionGraph();
        while (attempt(graph) <= attempt || !job.allTasksRunning()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the job did not run again within " + RECOVERY_TIMEOUT + ": "
                        + graph.getState());
            }
            // the restored sources may read while other tasks still restore: their lag counts from the start
            peak[0] = Math.max(peak[0], lag.sample().lag());
            TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
            graph = job.executionGraph();
        }
        long caughtUp = awaitLagZero(lag, killedAt, Duration.ofMillis(Math.max(0, deadline
                - System.currentTimeMillis())), peak);
        graph = job.executionGraph();
        CheckpointStatsSnapshot stats = graph.getCheckpointStatsSnapshot();
        RestoredCheckpointStats restored = stats == null ? null : stats.getLatestRestoredCheckpoint();
        return new Kill(killedAt, latest(graph, ExecutionState.DEPLOYING), latest(graph, ExecutionState.INITIALIZING),
                latest(graph, ExecutionState.RUNNING),
                caughtUp, restored == null ? -1 : restored.getCheckpointId(),
                restored == null ? -1 : restored.getStateSize(), peak[0]);
    }

    /**
     * Samples until one taken after {@code after} is caught up ({@link LagSampler.Sample#caughtUp}); returns its
     * time, or -1 after the timeout. {@code peak[0]} gets the highest lag seen.
     */
    private static long awaitLagZero(LagSampler lag, long after, Duration timeout, long[] peak) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            LagSampler.Sample s = lag.sample();
            peak[0] = Math.max(peak[0], s.lag());
            if (s.atMillis() - LagSampler.IN_FLIGHT.toMillis() > after && s.caughtUp()) {
                return s.atMillis();
            }
            TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
        }
        return -1;
    }

    /** Waits for a checkpoint triggered after {@code after}: it holds everything read until then. */
    private static CompletedCheckpointStats awaitCheckpointAfter(InProcessJob job, long after) throws Exception {
        long deadline = System.currentTimeMillis() + RECOVERY_TIMEOUT.toMillis();
        while (System.currentTimeMillis() < deadline) {
            CheckpointStatsSnapshot stats = job.executionGraph().getCheckpointStatsSnapshot();
            CompletedCheckpointStats latest = stats == null ? null : stats.getHistory().getLatestCompletedCheckpoint();
            if (latest != null && latest.getTriggerTimestamp() > after) {
                return latest;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IllegalStateException("no checkpoint completed within " + RECOVERY_TIMEOUT);
    }

    private static int attempt(AccessExecutionGraph graph) {
        int attempt = Integer.MAX_VALUE;
        for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
            attempt = Math.min(attempt, v.getCurrentExecutionAttempt().getAttemptNumber());
        }
        return attempt;
    }

    /** The last of the tasks' times of entering that state (in their current attempt). */
    private static long latest(AccessExecutionGraph graph, ExecutionState state) {
        long latest = 0;
        for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
            AccessExecution e = v.getCurrentExecutionAttempt();
            latest = Math.max(latest, e.getStateTimestamp(state));
        }
        return latest;
    }
}
