package dev.pulse.bench;

import dev.pulse.config.PulseOptions;
import dev.pulse.config.PulseSettings;
import dev.pulse.json.Json;
import dev.pulse.local.LocalKafkaBroker;
import dev.pulse.model.MetricRecord;
import dev.pulse.model.Stream;
import dev.pulse.time.Period;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;

/**
 * The chaos mode: the metrics job with every family on, Kafka in and out, exactly-once, RocksDB, over a generated
 * business day, run twice on a MiniCluster in this JVM against the local broker. First failure-free, over the day
 * loaded beforehand; then with the day written slice by slice into the running job while faults hit it at random
 * points ({@link ChaosSchedule}): lost TaskManagers, a restart of the whole job from its latest retained
 * checkpoint, stop-with-savepoint and resume at parallelism 2 -> 3 -> 1, a broker restart. Both runs end with a
 * close-out that closes every window of the day; then the final values and alerts read with read_committed are
 * compared, and the running values checked for convergence ({@link ChaosComparison}).
 */
final class ChaosBench {
    /** The checkpoint interval unless {@code -D pulse.checkpoint.interval} says otherwise: less to replay. */
    static final String DEFAULT_CHECKPOINT_INTERVAL = "2 s";
    /**
     * The watermark idle timeout unless {@code -D pulse.watermark.idle-timeout} says otherwise: longer than any
     * pause of the input here (a broker restart, a slow recovery). With the default 30 s, every partition goes idle
     * in a longer pause, and when events come again the partition read first carries the watermark past the
     * others' events, which then arrive late: a real run can lose events so (see docs/benchmarks.md).
     */
    static final String DEFAULT_IDLE_TIMEOUT = "10 min";
    static final int INPUT_PARTITIONS = 3;
    /** About 1.4 M events in a day: both runs in about 10-15 minutes on a 2-core machine. */
    static final double DEFAULT_SESSIONS_PER_MINUTE = 120;
    private static final long RUN_TIMEOUT_MILLIS = TimeUnit.MINUTES.toMillis(15);
    /** Completed checkpoints without a new committed record after which a run whose day is closed is over. */
    static final int QUIET_CHECKPOINTS = 3;

    record Plan(long seed, double sessionsPerMinute, int slices, int taskManagerLosses, String managedMemory,
                Map<String, String> pulseOptions, Path workDir) {}

    /**
     * One injected fault and its recovery: from the injection to every task running again (a new attempt or a
     * new job; for the broker, to the broker serving again), and to the first checkpoint completed after that
     * (the exactly-once sinks commit again), and how many restarts Flink made meanwhile.
     */
    record Recovery(ChaosSchedule.Fault fault, long toRunningMillis, long toOutputMillis, int flinkRestarts) {}

    /** A run's wall time and, for the chaos run, its faults. */
    record RunFigures(long wallMillis, List<Recovery> recoveries, int flinkRestarts) {}

    record Outcome(Map<Stream, Long> events, Instant firstEvent, Instant lastEvent, RunFigures calm,
                   RunFigures chaos, ChaosComparison.Differences finals, ChaosComparison.Differences alerts,
                   ChaosComparison.Convergence chaosRunning, ChaosComparison.Convergence calmRunning,
                   int chaosWrittenTwice, int chaosCorrected, int calmCorrected, PulseSettings settings) {
        long total() {
            return events.values().stream().mapToLong(Long::longValue).sum();
        }

        boolean identical() {
            return finals.differing() == 0 && alerts.differing() == 0 && chaosRunning.notConverged() == 0
                    && chaosWrittenTwice == 0 && finals.compared() > 0;
        }
    }

    private final Plan plan;
    private final LocalKafkaBroker broker;
    private final BenchTopics topics;
    private final PrintStream out;
    private final Map<String, String> clientProperties;

    ChaosBench(Plan plan, LocalKafkaBroker broker, BenchTopics topics, Map<String, String> clientProperties,
               PrintStream out) {
        this.plan = plan;
        this.broker = broker;
        this.topics = topics;
        this.clientProperties = clientProperties;
        this.out = out;
    }

    Outcome run() throws Exception {
        List<ChaosSchedule.Fault> faults = ChaosSchedule.plan(plan.seed(), plan.slices(), plan.taskManagerLosses());
        out.printf(Locale.ROOT, "  chaos      seed %d: %d faults over %d slices of the day%n", plan.seed(),
                faults.size(), plan.slices());
        try (ChaosCluster cluster = ChaosCluster.start(plan.managedMemory())) {
            PulseSettings calm = settings("calm", BenchInput.topics());
            DayTraffic calmTraffic = traffic(calm);
            out.printf(Locale.ROOT, "  calm       writing the day (%s)%n", calmTraffic.settings());
            calmTraffic.writeSlice(0, 1);
            calmTraffic.writeCloseOut();
            out.printf(Locale.ROOT, "  calm       %,d events, %s to %s; failure-free run at parallelism %d%n",
                    calmTraffic.total(), BenchInput.START, calmTraffic.lastEventTime(),
                    ChaosSchedule.START_PARALLELISM);
            Results calmResults = new Results(calm);
            long calmStart = System.currentTimeMillis();
            JobID calmJob = cluster.submit(calm, ChaosSchedule.START_PARALLELISM, null, "pulse-chaos-calm");
            calmResults.awaitDayClosed(calmTraffic.lastEventTime(), cluster, calmJob);
            RunFigures calmFigures = new RunFigures(System.currentTimeMillis() - calmStart, List.of(),
                    cluster.attempt(calmJob));
            cluster.cancel(calmJob);
            out.printf(Locale.ROOT, "  calm       done in %.1f s%n", calmFigures.wallMillis() / 1000.0);

            Map<Stream, String> chaosInputs = new EnumMap<>(Stream.class);
            for (Stream s : Stream.values()) {
                chaosInputs.put(s, BenchTopics.input("chaos." + s.code()));
            }
            PulseSettings chaos = settings("chaos", chaosInputs);
            DayTraffic chaosTraffic = traffic(chaos);
            Results chaosResults = new Results(chaos);
            RunFigures chaosFigures = new ChaosRun(cluster, chaos, chaosTraffic, faults).run(chaosResults);
            out.printf(Locale.ROOT, "  chaos      done in %.1f s; comparing%n", chaosFigures.wallMillis() / 1000.0);

            Instant cutOff = Instant.ofEpochMilli(Period.DAY.start(DayTraffic.closeOut().toEpochMilli(),
                    calm.timeZone));
            RunOutputs calmOutputs = calmResults.outputs(cutOff);
            RunOutputs chaosOutputs = chaosResults.outputs(cutOff);
            calmResults.close();
            chaosResults.close();
            return new Outcome(chaosTraffic.written(), BenchInput.START, chaosTraffic.lastEventTime(), calmFigures,
                    chaosFigures, ChaosComparison.finals(chaosOutputs, calmOutputs),
                    ChaosComparison.alerts(chaosOutputs, calmOutputs),
                    ChaosComparison.running(chaosOutputs, calmOutputs),
                    ChaosComparison.running(calmOutputs, calmOutputs), ChaosComparison.writtenTwice(chaosOutputs),
                    ChaosComparison.corrected(chaosOutputs), ChaosComparison.corrected(calmOutputs), chaos);
        }
    }

    /** The chaos run: the day slice by slice into the running job, each slice's faults after it. */
    private final class ChaosRun {
        private final ChaosCluster cluster;
        private final PulseSettings settings;
        private final DayTraffic traffic;
        private final List<ChaosSchedule.Fault> faults;
        private JobID job;
        private int parallelism = ChaosSchedule.START_PARALLELISM;
        /** Restarts of the jobs already stopped (each job's attempt number when it was stopped). */
        private int earlierRestarts;

        ChaosRun(ChaosCluster cluster, PulseSettings settings, DayTraffic traffic, List<ChaosSchedule.Fault> faults) {
            this.cluster = cluster;
            this.settings = settings;
            this.traffic = traffic;
            this.faults = faults;
        }

        RunFigures run(Results results) throws Exception {
            long start = System.currentTimeMillis();
            job = cluster.submit(settings, parallelism, null, "pulse-chaos-" + parallelism);
            List<Recovery> recoveries = new ArrayList<>();
            for (int slice = 0; slice < plan.slices(); slice++) {
                traffic.writeSlice(slice, plan.slices());
                for (ChaosSchedule.Fault fault : faults) {
                    if (fault.slice() == slice) {
                        // the random point: the job is reading the slice just written
                        TimeUnit.MILLISECONDS.sleep(fault.delayMillis());
                        Recovery r = inject(fault);
                        recoveries.add(r);
                        out.printf(Locale.ROOT, "  chaos      slice %2d +%4d ms: %s; running again after %,d ms, "
                                        + "output after %,d ms%s%n", slice + 1, fault.delayMillis(), fault.describe(),
                                r.toRunningMillis(), r.toOutputMillis(),
                                r.flinkRestarts() > 0 ? " (" + r.flinkRestarts() + " Flink restart(s))" : "");
                    }
                }
            }
            traffic.writeCloseOut();
            results.awaitDayClosed(traffic.lastEventTime(), cluster, job);
            int restarts = earlierRestarts + cluster.attempt(job);
            cluster.cancel(job);
            return new RunFigures(System.currentTimeMillis() - start, recoveries, restarts);
        }

        private Recovery inject(ChaosSchedule.Fault fault) throws Exception {
            int attempt = cluster.attempt(job);
            long injected = System.currentTimeMillis();
            long running;
            int restarts = 0;
            switch (fault.kind()) {
                case TASK_MANAGER_LOSS -> {
                    cluster.loseTaskManager();
                    running = ChaosCluster.await(() -> cluster.runsAtLeast(job, attempt + 1), "the job to run again");
                }
                case JOB_RESTART -> {
                    cluster.cancel(job);
                    earlierRestarts += attempt;
                    String checkpoint = ChaosCluster.latestCheckpoint(settings, job);
                    job = cluster.submit(settings, parallelism, checkpoint, "pulse-chaos-" + parallelism);
                    running = ChaosCluster.await(() -> cluster.runsAtLeast(job, 0), "the restored job to run");
                }
                case RESCALE -> {
                    String savepoint = cluster.stopWithSavepoint(job, settings.checkpointDir + "/savepoints");
                    earlierRestarts += attempt;
                    parallelism = fault.parallelism();
                    job = cluster.submit(settings, parallelism, savepoint, "pulse-chaos-" + parallelism);
                    running = ChaosCluster.await(() -> cluster.runsAtLeast(job, 0), "the rescaled job to run");
                }
                case BROKER_RESTART -> {
                    broker.restart();
                    running = System.currentTimeMillis();
                }
                default -> throw new IllegalStateException(fault.kind().name());
            }
            long since = running;
            ChaosCluster.await(() -> cluster.checkpointCompletedSince(job, since) > 0, "a checkpoint after the recovery");
            long output = cluster.checkpointCompletedSince(job, since);
            // a job restarted or rescaled by hand is a new job: only the same job's attempts are Flink's restarts
            if (fault.kind() == ChaosSchedule.Kind.TASK_MANAGER_LOSS || fault.kind() == ChaosSchedule.Kind.BROKER_RESTART) {
                restarts = cluster.attempt(job) - attempt;
            }
            return new Recovery(fault, running - injected, output - injected, restarts);
        }
    }

    /** The committed outputs of one run, followed while it runs. */
    private final class Results implements AutoCloseable {
        private final CommittedLog finals;
        private final CommittedLog alerts;
        private final PulseSettings settings;
        private int checked;

        Results(PulseSettings settings) throws Exception {
            this.settings = settings;
            topics.recreate(List.of(settings.metricsTopic, settings.liveMetricsTopic, settings.deadLettersTopic,
                    settings.alertsTopic, settings.liveAlertsTopic), 2, false);
            finals = new CommittedLog(settings.bootstrapServers, clientProperties, settings.metricsTopic);
            alerts = new CommittedLog(settings.bootstrapServers, clientProperties, settings.alertsTopic);
        }

        /**
         * Waits until the final value of a day window holding the last event is committed (every split's watermark
         * passed the whole day: the sources read everything), then until {@value #QUIET_CHECKPOINTS} checkpoints
         * in a row complete without a new committed final value or alert: each commits whatever the operators
         * emitted before its barrier, so the other operators' last windows and alerts are in.
         */
        void awaitDayClosed(Instant lastEvent, ChaosCluster cluster, JobID job) throws Exception {
            ChaosCluster.await(() -> dayClosed(lastEvent), "the day's final values", RUN_TIMEOUT_MILLIS);
            long deadline = System.currentTimeMillis() + RUN_TIMEOUT_MILLIS;
            int committed = finals.poll() + alerts.poll();
            long quietFrom = cluster.completedCheckpoints(job);
            while (cluster.completedCheckpoints(job) < quietFrom + QUIET_CHECKPOINTS) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the run did not settle within " + RUN_TIMEOUT_MILLIS / 1000 + " s");
                }
                TimeUnit.MILLISECONDS.sleep(200);
                int now = finals.poll() + alerts.poll();
                if (now != committed) {
                    committed = now;
                    quietFrom = cluster.completedCheckpoints(job);
                }
            }
        }

        private boolean dayClosed(Instant lastEvent) {
            finals.poll();
            List<String> values = finals.values();
            for (; checked < values.size(); checked++) {
                MetricRecord m = Json.read(values.get(checked), MetricRecord.class);
                if (m.period.equals("day") && OffsetDateTime.parse(m.windowEnd).toInstant().isAfter(lastEvent)) {
                    return true;
                }
            }
            return false;
        }

        RunOutputs outputs(Instant cutOff) {
            finals.poll();
            alerts.poll();
            try (CommittedLog running = new CommittedLog(settings.bootstrapServers, clientProperties,
                    settings.liveMetricsTopic)) {
                running.poll();
                return RunOutputs.of(finals.values(), alerts.values(), running.values(), cutOff);
            }
        }

        @Override
        public void close() {
            finals.close();
            alerts.close();
        }
    }

    private DayTraffic traffic(PulseSettings settings) throws Exception {
        Map<Stream, String> inputs = new EnumMap<>(Stream.class);
        inputs.put(Stream.CLICK, settings.clicksTopic);
        inputs.put(Stream.ORDER, settings.ordersTopic);
        inputs.put(Stream.AD, settings.adsTopic);
        topics.recreate(inputs.values(), INPUT_PARTITIONS, false);
        return new DayTraffic(plan.seed(), plan.sessionsPerMinute(), broker.bootstrapServers(), clientProperties,
                inputs);
    }

    /** A run's settings: the user's Pulse options over the chaos defaults, the run's own topics and folders. */
    private PulseSettings settings(String runId, Map<Stream, String> inputs) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put(PulseOptions.CHECKPOINT_INTERVAL.key(), DEFAULT_CHECKPOINT_INTERVAL);
        options.put(PulseOptions.IDLE_TIMEOUT.key(), DEFAULT_IDLE_TIMEOUT);
        options.putAll(plan.pulseOptions());
        RunSpecs specs = new RunSpecs(options, ChaosSchedule.START_PARALLELISM, plan.managedMemory(), plan.workDir(),
                broker.bootstrapServers());
        Map<String, String> o = new LinkedHashMap<>(specs.spec(Variant.PULSE, 1, runId).options);
        o.put(PulseOptions.CLICKS_TOPIC.key(), inputs.get(Stream.CLICK));
        o.put(PulseOptions.ORDERS_TOPIC.key(), inputs.get(Stream.ORDER));
        o.put(PulseOptions.ADS_TOPIC.key(), inputs.get(Stream.AD));
        return PulseSettings.from(o);
    }
}
