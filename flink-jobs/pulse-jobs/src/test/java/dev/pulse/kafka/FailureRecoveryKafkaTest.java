package dev.pulse.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.config.PulseSettings;
import dev.pulse.pipeline.MetricsJob;
import dev.pulse.testing.CommittedResults;
import dev.pulse.testing.KafkaTestBroker;
import dev.pulse.testing.KafkaTraffic;
import dev.pulse.testing.ValueDiff;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running job, Kafka in and out, exactly-once, RocksDB, through what a sales day can do to it: three lost
 * TaskManagers at points of the traffic (each a restart from the latest checkpoint), a cancel and a restart of the
 * whole job from its latest retained checkpoint (as after a JobManager loss) at parallelism 3, and a
 * stop-with-savepoint resumed at parallelism 1. The final values read with read_committed equal a failure-free run
 * of the same input and the recomputation (nothing lost, nothing counted twice), and so do the alerts.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class FailureRecoveryKafkaTest {
    /** One TaskManager with slots for parallelism 3: losing it fails every task, and a new one takes over. */
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(3).build());

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final int SLICES = 6;
    private static final int LOST_TASK_MANAGERS = 3;

    @Test
    void failuresARestoreAndARescaleChangeNoFinalValueAndNoAlert(@InjectMiniCluster MiniCluster cluster,
                                                                 @TempDir Path dir) throws Exception {
        Instant start = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.HOURS);
        Instant closeOut = start.plus(Duration.ofHours(36));
        KafkaTraffic traffic = new KafkaTraffic(start, 12);
        Map<String, Double> expected = traffic.expectedBefore(closeOut, "CNY", ZONE);
        try (KafkaTestBroker broker = KafkaTestBroker.start()) {
            PulseSettings calm = settings(broker, "calm", dir);
            run(broker, calm, traffic, closeOut, null, expected);
            TreeSet<String> calmAlerts = CommittedResults.alerts(broker, calm);
            assertThat(calmAlerts).as("the burst's alert").hasSize(1);

            PulseSettings stormy = settings(broker, "stormy", dir);
            run(broker, stormy, traffic, closeOut, cluster, expected);
            // the final alerts, record for record: judged in event-time order, so however the partitions
            // interleaved a user's orders before and after each failure
            assertThat(CommittedResults.alerts(broker, stormy)).isEqualTo(calmAlerts);
        }
    }

    /**
     * Writes the traffic slice by slice into a running job; with a cluster to hurt, loses its TaskManager after
     * slices 1 to 3, restarts the job from its latest checkpoint after slice 4 and from a savepoint after slice 5;
     * then waits until the final values equal the expected ones.
     */
    private static void run(KafkaTestBroker broker, PulseSettings settings, KafkaTraffic traffic, Instant closeOut,
                            MiniCluster cluster, Map<String, Double> expected) throws Exception {
        broker.createTopics(3, settings.clicksTopic, settings.ordersTopic, settings.adsTopic);
        broker.createTopics(2, settings.metricsTopic, settings.liveMetricsTopic, settings.deadLettersTopic,
                settings.alertsTopic, settings.liveAlertsTopic);
        JobClient job = start(settings, 2, null);
        try {
            for (int slice = 0; slice < SLICES; slice++) {
                int committedBefore = CommittedResults.finals(broker, settings).size();
                traffic.produceSlice(broker, settings, slice, SLICES);
                if (cluster == null) {
                    continue;
                }
                // the slice is being read and counted when the failure comes
                awaitMoreCommitted(broker, settings, committedBefore);
                if (slice >= 1 && slice <= LOST_TASK_MANAGERS) {
                    JobClient running = job;
                    int attempt = attempt(cluster, running.getJobID());
                    // the MiniCluster numbers its TaskManagers in start order: the live one is the one started last
                    cluster.terminateTaskManager(slice - 1).get(30, TimeUnit.SECONDS);
                    cluster.startTaskManager();
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                        assertThat(attempt(cluster, running.getJobID())).as("attempt").isGreaterThan(attempt);
                        assertThat(status(running)).isEqualTo(JobStatus.RUNNING);
                    });
                } else if (slice == 4) {
                    // the whole job again from its latest retained checkpoint, as after a JobManager loss
                    JobClient cancelled = job;
                    cancelled.cancel().get(30, TimeUnit.SECONDS);
                    await().atMost(Duration.ofSeconds(30)).until(() -> status(cancelled) == JobStatus.CANCELED);
                    job = start(settings, 3, latestCheckpoint(Path.of(URI.create(settings.checkpointDir)),
                            cancelled.getJobID()));
                } else if (slice == 5) {
                    String savepoint = job.stopWithSavepoint(false, settings.checkpointDir + "/savepoints",
                            SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
                    job = start(settings, 1, savepoint);
                }
            }
            traffic.closeOut(broker, settings, closeOut);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    ValueDiff.assertSame(ValueDiff.windowsBefore(CommittedResults.finals(broker, settings), closeOut,
                            ZONE), expected));
            assertThat(status(job)).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    private static PulseSettings settings(KafkaTestBroker broker, String run, Path dir) throws IOException {
        return PulseSettings.from(Map.ofEntries(
                Map.entry("pulse.kafka.bootstrap-servers", broker.bootstrapServers()),
                Map.entry("pulse.kafka.group-id", "pulse-" + run),
                Map.entry("pulse.topics.clicks", run + ".clicks"),
                Map.entry("pulse.topics.orders", run + ".orders"),
                Map.entry("pulse.topics.ads", run + ".ads"),
                Map.entry("pulse.topics.metrics", run + ".metrics"),
                Map.entry("pulse.topics.metrics-live", run + ".metrics.live"),
                Map.entry("pulse.topics.dead-letters", run + ".dead-letters"),
                Map.entry("pulse.topics.alerts", run + ".alerts"),
                Map.entry("pulse.topics.alerts-live", run + ".alerts.live"),
                Map.entry("pulse.checkpoint.interval", "500 ms"),
                Map.entry("pulse.checkpoint.dir", Files.createDirectories(dir.resolve(run)).toUri().toString()),
                Map.entry("pulse.parallelism", "2")));
    }

    private static JobClient start(PulseSettings settings, int parallelism, String restoreFrom) throws Exception {
        Configuration conf = MetricsJob.flinkConfiguration(settings);
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        MetricsJob.attach(env, settings);
        env.setParallelism(parallelism);
        return env.executeAsync("failure-recovery-" + parallelism);
    }

    private static void awaitMoreCommitted(KafkaTestBroker broker, PulseSettings settings, int before) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> CommittedResults.finals(broker, settings).size() > before);
    }

    /** The latest completed checkpoint the job left in its folder (chk-N with its metadata). */
    private static String latestCheckpoint(Path checkpoints, JobID job) throws IOException {
        try (var dirs = Files.list(checkpoints.resolve(job.toHexString()))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .filter(d -> Files.exists(d.resolve("_metadata")))
                    .max(Comparator.comparingInt(d -> Integer.parseInt(d.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new AssertionError("no retained checkpoint of " + job)).toString();
        }
    }

    /** The attempt number of the job's tasks: it grows by one with every restart. */
    private static int attempt(MiniCluster cluster, JobID job) throws Exception {
        return cluster.getExecutionGraph(job).get(10, TimeUnit.SECONDS).getAllExecutionVertices().iterator().next()
                .getCurrentExecutionAttempt().getAttemptNumber();
    }

    private static JobStatus status(JobClient job) throws Exception {
        return job.getJobStatus().get(10, TimeUnit.SECONDS);
    }
}
