package dev.pulse.bench;

import dev.pulse.config.PulseSettings;
import dev.pulse.export.ExporterSettings;
import dev.pulse.export.MetricsExporter;
import dev.pulse.generator.GeneratedEvent;
import dev.pulse.generator.GeneratorRunner;
import dev.pulse.generator.GeneratorSettings;
import dev.pulse.generator.GeneratorStats;
import dev.pulse.generator.Pacing;
import dev.pulse.generator.TrafficGenerator;
import dev.pulse.local.LocalPorts;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The latency mode: the generator writes live traffic (event time = now) at a fixed rate while the metrics job
 * runs; measured per page view, from the broker's append time to the first moment a value including it is
 * visible on the live topic, on the final topic and on the exporter's /metrics; and per risk alert, from the
 * append of the order event that completed it to the alert on the live and on the exactly-once alerts topic. See
 * docs/benchmarks.md for the method and its limits.
 */
final class LatencyBench {

    /** What to run: the write rate, how long to warm up and to measure. */
    record Plan(double eventsPerSecond, Duration warmup, Duration measure, String heap, String managedMemory,
                int parallelism, Path workDir, Map<String, String> pulseOptions) {}

    /** Latencies in milliseconds, sorted, and what could not be measured. */
    record Figures(long[] sortedMillis, long notSeen) {
        double p(double percentile) {
            return Stats.percentile(sortedMillis, percentile);
        }

        long max() {
            return sortedMillis.length == 0 ? -1 : sortedMillis[sortedMillis.length - 1];
        }
    }

    /** @param writtenRate events per second written during the measured span (after the warm-up) */
    record Outcome(double targetRate, double writtenRate, long pageViews, Figures running, Figures finals,
                   Figures exporter, Figures liveAlerts, Figures alerts, long polls, long unmatched,
                   PulseSettings settings) {}

    /** Fraud incidents staged per hour of the live traffic, so that alerts are measured too. */
    static final double FRAUD_INCIDENTS_PER_HOUR = 6000;

    /** How long after the generator stops the last windows' final values are waited for, beyond the checkpoint. */
    private static final Duration FINAL_GRACE = Duration.ofSeconds(30);
    /** Windows ending this close to the generator's stop may never close (no later events move the watermark). */
    private static final Duration TAIL = Duration.ofSeconds(15);

    private final Plan plan;
    private final String bootstrapServers;
    private final BenchTopics topics;
    private final PrintStream out;

    LatencyBench(Plan plan, String bootstrapServers, BenchTopics topics, PrintStream out) {
        this.plan = plan;
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.out = out;
    }

    Outcome run() throws Exception {
        topics.recreate(BenchInput.topics().values(), 2, true);
        RunSpecs specs = new RunSpecs(plan.pulseOptions(), plan.parallelism(), plan.managedMemory(), plan.workDir(),
                bootstrapServers);
        RunSpec spec = specs.spec(Variant.PULSE, 1, "latency");
        spec.live = true;
        topics.recreate(RunSpecs.outputTopics(Variant.PULSE, spec.runId), 1, false);
        PulseSettings settings = PulseSettings.from(spec.options);

        SeriesWindows series = new SeriesWindows();
        Sightings live = new Sightings();
        Sightings finals = new Sightings();
        Sightings shown = new Sightings();
        AppendLog pageViews = new AppendLog();
        AlertLatency alerts = new AlertLatency();
        VariantProcess.Started job = new VariantProcess(plan.heap()).start(spec, specs.folder(spec.runId), false);
        try (MetricsExporter exporter = MetricsExporter.start(ExporterSettings.from(settings)
                .withHost(LocalPorts.HOST).withPort(0).withGroupId("pulse-bench-exporter"))) {
            awaitRunning(job);
            out.printf(Locale.ROOT, "  latency    job running; writing %,.0f events/s for %d s (the first %d s are "
                    + "warm-up)%n", plan.eventsPerSecond(), plan.warmup().plus(plan.measure()).toSeconds(),
                    plan.warmup().toSeconds());
            URI metrics = URI.create("http://" + LocalPorts.HOST + ":" + exporter.port() + "/metrics");
            try (ResultsWatcher watcher = new ResultsWatcher(bootstrapServers, settings.kafkaProperties,
                    settings.liveMetricsTopic,
                    settings.metricsTopic, series, live, finals, settings.liveAlertsTopic, settings.alertsTopic, alerts);
                 MetricsPoller poller = new MetricsPoller(metrics, series, live, finals, shown)) {
                watcher.start();
                poller.start();
                long[] span = generate(settings, series, pageViews, alerts);
                long measureFrom = span[0];
                long stopped = span[1];
                long measureTo = stopped - TAIL.toMillis();
                awaitFinals(finals, measureFrom, measureTo, settings);
                Outcome outcome = new Outcome(plan.eventsPerSecond(), span[2] * 1000.0 / (stopped - measureFrom),
                        pageViews.size(),
                        perEvent(pageViews, Sightings.firstTimeOfEachCount(merged(live, finals)), measureFrom, measureTo),
                        perWindow(pageViews, finals, measureFrom, measureTo),
                        perEvent(pageViews, Sightings.firstTimeOfEachCount(shown.all()), measureFrom, measureTo),
                        alerts.figures(false, measureFrom, measureTo), alerts.figures(true, measureFrom, measureTo),
                        poller.polls(), poller.unmatched(), settings);
                return outcome;
            }
        } finally {
            Files.writeString(job.folder().resolve(VariantMain.STOP_FILE), "stop");
            RunResult result = job.awaitResult();
            if (result.error != null) {
                out.println("  latency    the job reported: " + result.error);
            }
        }
    }

    /**
     * Writes live traffic at the planned rate for warm-up plus measurement; returns when the measured span began
     * and ended and the events written in it.
     */
    private long[] generate(PulseSettings settings, SeriesWindows series, AppendLog pageViews, AlertLatency alerts)
            throws Exception {
        GeneratorSettings generator = GeneratorSettings.builder()
                .seed(1)
                .start(null)
                .duration(null)
                .sessionsPerMinute(sessionsPerMinuteFor(plan.eventsPerSecond()))
                .outOfOrderness(settings.outOfOrderness)
                .allowedLateness(settings.allowedLateness)
                .fraudIncidentsPerHour(FRAUD_INCIDENTS_PER_HOUR)
                .pacing(Pacing.realtime())
                .build();
        try (TimedEventWriter writer = new TimedEventWriter(bootstrapServers, settings.kafkaProperties,
                BenchInput.topics(), series, pageViews, alerts)) {
            GeneratorRunner runner = new GeneratorRunner(generator, writer, new GeneratorStats());
            Thread thread = new Thread(runner, "bench-latency-generator");
            thread.start();
            thread.join(plan.warmup().toMillis());
            long measureFrom = System.currentTimeMillis();
            long writtenBefore = writer.written();
            thread.join(plan.measure().toMillis());
            runner.stop();
            thread.join(TimeUnit.SECONDS.toMillis(10));
            writer.flush();
            if (thread.isAlive()) {
                throw new IllegalStateException("the generator did not stop");
            }
            return new long[] {measureFrom, System.currentTimeMillis(), writer.written() - writtenBefore};
        }
    }

    /**
     * Sessions per minute that make the generator write about this many events per second with event time
     * following the clock (realtime pacing), from the events per session of its steady state.
     */
    static double sessionsPerMinuteFor(double eventsPerSecond) {
        double sessions = 200;
        GeneratorSettings probe = BenchInput.generator(1, sessions);
        Instant from = BenchInput.START.plus(Duration.ofMinutes(20));
        Instant to = from.plus(Duration.ofMinutes(20));
        TrafficGenerator generator = new TrafficGenerator(probe);
        long events = 0;
        while (generator.hasNext()) {
            GeneratedEvent e = generator.next();
            if (!e.eventTime().isBefore(to)) {
                break;
            }
            if (!e.eventTime().isBefore(from)) {
                events++;
            }
        }
        double eventsPerMinutePerSession = events / 20.0 / sessions;
        return eventsPerSecond * 60 / eventsPerMinutePerSession;
    }

    private static void awaitRunning(VariantProcess.Started job) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(job.folder().resolve(VariantMain.RUNNING_FILE))) {
            if (!job.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the metrics job did not start (see " + job.folder().resolve("run.log")
                        + ")");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** Waits until every measured window has its final value, or the checkpoint interval plus a grace passed. */
    static void awaitFinals(Sightings finals, long from, long to, PulseSettings settings)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + settings.outOfOrderness.toMillis()
                + settings.checkpointInterval.toMillis() + FINAL_GRACE.toMillis();
        long lastWindowEnd = Math.floorDiv(to, 60_000) * 60_000;
        while (System.currentTimeMillis() < deadline) {
            boolean done = finals.all().stream().anyMatch(s -> SeriesWindows.windowEnd(s.key()) >= lastWindowEnd);
            if (done) {
                TimeUnit.SECONDS.sleep(2); // the other series of that minute come in the same transaction
                return;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private static List<Sightings.Sighting> merged(Sightings a, Sightings b) {
        List<Sightings.Sighting> all = new ArrayList<>(a.all());
        all.addAll(b.all());
        return all;
    }

    /**
     * For each page view appended in [from, to]: the time from its append to the first value of its series and
     * window that counts at least as many events as its rank in append order.
     */
    static Figures perEvent(AppendLog log, Map<Long, long[]> firstTimeOfCount, long from, long to) {
        Map<Long, List<Long>> appendsByKey = new HashMap<>();
        for (int i = 0; i < log.size(); i++) {
            appendsByKey.computeIfAbsent(log.key(i), k -> new ArrayList<>()).add(log.appendedAt(i));
        }
        long[] latencies = new long[log.size()];
        int n = 0;
        long notSeen = 0;
        for (Map.Entry<Long, List<Long>> e : appendsByKey.entrySet()) {
            long[] appends = e.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
            long[] first = firstTimeOfCount.getOrDefault(e.getKey(), new long[0]);
            for (int rank = 0; rank < appends.length; rank++) {
                if (appends[rank] < from || appends[rank] > to) {
                    continue;
                }
                if (rank < first.length) {
                    latencies[n++] = Math.max(0, first[rank] - appends[rank]);
                } else {
                    notSeen++;
                }
            }
        }
        return new Figures(Stats.sorted(Arrays.copyOf(latencies, n)), notSeen);
    }

    /**
     * For each series window with page views that ended in [{@code from}, {@code to}]: from
     * its end to the first time its final value was seen; windows whose final never came count as not seen.
     */
    static Figures perWindow(AppendLog log, Sightings finals, long from, long to) {
        Map<Long, Long> firstSeen = new HashMap<>();
        for (Sightings.Sighting s : finals.all()) {
            firstSeen.merge(s.key(), s.atMillis(), Math::min);
        }
        Set<Long> windows = new HashSet<>();
        for (int i = 0; i < log.size(); i++) {
            long key = log.key(i);
            if (SeriesWindows.windowEnd(key) >= from && SeriesWindows.windowEnd(key) <= to) {
                windows.add(key);
            }
        }
        long[] latencies = windows.stream().filter(firstSeen::containsKey)
                .mapToLong(key -> firstSeen.get(key) - SeriesWindows.windowEnd(key)).toArray();
        return new Figures(Stats.sorted(latencies), windows.size() - latencies.length);
    }
}
