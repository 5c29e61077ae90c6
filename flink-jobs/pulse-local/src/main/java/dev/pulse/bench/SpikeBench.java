package dev.pulse.bench;

import dev.pulse.config.PulseSettings;
import dev.pulse.export.ExporterSettings;
import dev.pulse.export.MetricsExporter;
import dev.pulse.generator.GeneratorRunner;
import dev.pulse.generator.GeneratorSettings;
import dev.pulse.generator.GeneratorStats;
import dev.pulse.generator.Pacing;
import dev.pulse.local.LocalPorts;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The spike mode: a promotion at 3x the sustainable rate on top of live base traffic, with the metrics job in a
 * MiniCluster of this JVM. Base traffic (a tenth of the sustainable rate, generated live) runs throughout: a
 * warm-up, then the spike's extra events (generated before the run, sent paced and stamped with the time they are
 * sent) for the spike's duration, then base traffic until the consumer lag is back at zero and for
 * {@link #AFTER_DRAIN} more. Every {@link LagSampler#PERIOD} it samples the write rate, consumer lag, the sources'
 * pendingRecords, backpressure and the exporter's freshness; at the end it checks that nothing was lost: every
 * event written was read, and every minute's final page views equal the page views written in it.
 */
final class SpikeBench {
    /** How many times the sustainable rate the spike writes. */
    static final double SPIKE_FACTOR = 3;
    /**
     * Base traffic as a share of the sustainable rate: low enough that the backlog drains in minutes, and the
     * spike 30x the base, as flash sales jump 10-50x at the minute they open.
     */
    static final double BASE_SHARE = 0.1;
    /** Base traffic kept on once the lag is back at zero: the freshness shown settles again. */
    static final Duration AFTER_DRAIN = Duration.ofSeconds(30);
    /** Windows ending this close to the generator's stop may never close (no later events move the watermark). */
    private static final Duration TAIL = Duration.ofSeconds(15);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration PROGRESS = Duration.ofSeconds(30);
    /** The machine's two cores: the spike's events are generated before the job starts, so both are free. */
    private static final int GENERATOR_THREADS = 2;
    /** A generated event kept serialized: its JSON (about 310 bytes on average), key and framing. */
    private static final long BYTES_PER_EVENT = 360;
    /** Heap the job, the exporter and the bookkeeping take besides the spike's events. */
    private static final long JOB_HEAP = 2L << 30;
    /** Every sample of the run, in the work folder. */
    static final String SAMPLES_FILE = "spike-samples.csv";

    /** What to run: the sustainable rate, warm-up, the spike's length, how long the lag may take to drain. */
    record Plan(double sustainableRate, Duration warmup, Duration spike, Duration drainTimeout, int partitions,
                int parallelism, String managedMemory, Path workDir, Map<String, String> pulseOptions) {
        double spikeRate() {
            return SPIKE_FACTOR * sustainableRate;
        }

        double baseRate() {
            return BASE_SHARE * sustainableRate;
        }

        long spikeExtraEvents() {
            return Math.round((spikeRate() - baseRate()) * spike.toMillis() / 1000.0);
        }
    }

    /** Page views written per final minute against the final values the job published for them. */
    record PageViewCheck(long windows, long written, long counted, long mismatched, long missing) {
        boolean exact() {
            return mismatched == 0 && missing == 0 && written == counted;
        }
    }

    /**
     * @param spikeFrom when the spike's first event was sent; {@code spikeTo} when its last was
     * @param drainedAt the first sample after the spike that was caught up; -1 if none came by the drain timeout
     */
    record Outcome(List<LagSampler.Sample> samples, long startMillis, long spikeFrom, long spikeTo, long spikeSent,
                   long drainedAt, long written, long endOffsets, long read, PageViewCheck pageViews,
                   RunResult.Checkpoints checkpoints, double generationSeconds, PulseSettings settings) {}

    private final Plan plan;
    private final String bootstrapServers;
    private final BenchTopics topics;
    private final PrintStream out;

    SpikeBench(Plan plan, String bootstrapServers, BenchTopics topics, PrintStream out) {
        this.plan = plan;
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.out = out;
    }

    Outcome run() throws Exception {
        RunSpec spec = InProcessJob.liveSpec(topics, new RunSpecs(plan.pulseOptions(), plan.parallelism(),
                plan.managedMemory(), plan.workDir(), bootstrapServers), "spike", plan.partitions());
        PulseSettings settings = PulseSettings.from(spec.options);

        checkHeap(plan.spikeExtraEvents());
        SeriesWindows series = new SeriesWindows();
        long generationStart = System.nanoTime();
        out.printf(Locale.ROOT, "  spike      generating the spike's %,d extra events before the run%n",
                plan.spikeExtraEvents());
        // its event times are replaced when sent: only its mix of visitors and events counts
        SpikeEvents extra = SpikeEvents.generate(generator(settings, 2, plan.spikeRate() - plan.baseRate())
                .toBuilder().start(BenchInput.START).duration(Duration.ofDays(7)).pacing(Pacing.fast()).build(),
                plan.spikeExtraEvents(), series, GENERATOR_THREADS);
        double generationSeconds = (System.nanoTime() - generationStart) / 1e9;
        out.printf(Locale.ROOT, "  spike      generated in %.0f s%n", generationSeconds);

        AppendLog pageViews = new AppendLog();
        Sightings finals = new Sightings();
        try (MetricsExporter exporter = MetricsExporter.start(ExporterSettings.from(settings)
                .withHost(LocalPorts.HOST).withPort(0).withGroupId("pulse-bench-exporter"));
             InProcessJob job = InProcessJob.start(spec, START_TIMEOUT);
             ResultsWatcher watcher = new ResultsWatcher(bootstrapServers, settings.kafkaProperties,
                     settings.liveMetricsTopic, settings.metricsTopic, series, new Sightings(), finals,
                     settings.liveAlertsTopic, settings.alertsTopic, new AlertLatency());
             TimedEventWriter base = new TimedEventWriter(bootstrapServers, settings.kafkaProperties,
                     BenchInput.topics(), series, pageViews, new AlertLatency());
             SpikeSender spike = new SpikeSender(bootstrapServers, settings.kafkaProperties, BenchInput.topics(),
                     pageViews);
             LagSampler sampler = new LagSampler(bootstrapServers, settings.kafkaProperties,
                     BenchInput.topics().values(), plan.partitions(), () -> base.written() + spike.sent(),
                     URI.create("http://" + LocalPorts.HOST + ":" + exporter.port() + "/metrics"))) {
            watcher.start();
            GeneratorRunner runner = new GeneratorRunner(generator(settings, 1, plan.baseRate()), base,
                    new GeneratorStats());
            Thread baseThread = new Thread(runner, "bench-spike-base");
            long startMillis = System.currentTimeMillis();
            sampler.start();
            baseThread.start();
            out.printf(Locale.ROOT, "  spike      job running; base traffic %,.0f events/s, spike %,.0f events/s "
                    + "after %d s for %d s%n", plan.baseRate(), plan.spikeRate(), plan.warmup().toSeconds(),
                    plan.spike().toSeconds());
            baseThread.join(plan.warmup().toMillis());
            long spikeFrom = System.currentTimeMillis();
            spike.send(extra, plan.spikeRate() - plan.baseRate());
            extra = null; // gigabytes the job's heap can use while the backlog drains
            long spikeTo = System.currentTimeMillis();
            spike.flush();
            out.printf(Locale.ROOT, "  spike      spike sent: %,d events in %.1f s; waiting for the lag to drain%n",
                    spike.sent(), (spikeTo - spikeFrom) / 1000.0);
            long drainedAt = awaitLag(sampler, spikeTo, spikeTo + plan.drainTimeout().toMillis(), job);
            if (drainedAt > 0) {
                TimeUnit.MILLISECONDS.sleep(AFTER_DRAIN.toMillis());
            }
            runner.stop();
            baseThread.join(TimeUnit.SECONDS.toMillis(10));
            base.flush();
            long stopped = System.currentTimeMillis();
            // everything written is read: the last sample after the writers stopped
            awaitLag(sampler, stopped, stopped + TimeUnit.MINUTES.toMillis(2), job);
            long checkedTo = stopped - TAIL.toMillis();
            LatencyBench.awaitFinals(finals, startMillis, checkedTo, settings);
            sampler.stop();
            sampler.check();
            LagSampler.Sample last = sampler.sample();
            Files.writeString(plan.workDir().resolve(SAMPLES_FILE), sampler.csv());
            return new Outcome(sampler.samples(), startMillis, spikeFrom, spikeTo, spike.sent(), drainedAt,
                    base.written() + spike.sent(), last.endOffsets(), last.read(),
                    checkPageViews(pageViews, finals, checkedTo),
                    CheckpointFigures.of(job.executionGraph().getCheckpointStatsSnapshot()), generationSeconds,
                    settings);
        }
    }

    /** Fails early, with the fix, when the spike's events and the job would not fit in this JVM's heap. */
    private static void checkHeap(long events) {
        long needed = events * BYTES_PER_EVENT + JOB_HEAP;
        long max = Runtime.getRuntime().maxMemory();
        if (max < needed) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the spike's %,d events and the job need "
                    + "about %,d MB of heap, this JVM has %,d MB: run with JAVA_TOOL_OPTIONS=-Xmx%dg, or a shorter "
                    + "--duration or lower --rate", events, needed >> 20, max >> 20, (needed >> 30) + 2));
        }
    }

    /** Live traffic (event time = now) at about this rate, no injected faults. */
    static GeneratorSettings generator(PulseSettings settings, long seed, double eventsPerSecond) {
        return GeneratorSettings.builder()
                .seed(seed)
                .start(null)
                .duration(null)
                .sessionsPerMinute(LatencyBench.sessionsPerMinuteFor(eventsPerSecond))
                .outOfOrderness(settings.outOfOrderness)
                .allowedLateness(settings.allowedLateness)
                .pacing(Pacing.realtime())
                .build();
    }

    /**
     * Waits for a sample after {@code after} that is caught up ({@link LagSampler.Sample#caughtUp}); returns its
     * time, or -1 by the deadline.
     */
    private long awaitLag(LagSampler sampler, long after, long deadline, InProcessJob job) throws Exception {
        long nextReport = System.currentTimeMillis() + PROGRESS.toMillis();
        while (System.currentTimeMillis() < deadline) {
            sampler.check();
            LagSampler.Sample s = sampler.latest();
            if (s != null && s.atMillis() - LagSampler.IN_FLIGHT.toMillis() > after && s.caughtUp()) {
                return s.atMillis();
            }
            if (s != null && System.currentTimeMillis() > nextReport) {
                out.printf(Locale.ROOT, "  spike      consumer lag %,d records%n", s.lag());
                nextReport += PROGRESS.toMillis();
            }
            if (!job.allTasksRunning() && job.executionGraph().getState().isGloballyTerminalState()) {
                throw new IllegalStateException("the metrics job ended: " + job.executionGraph().getState());
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return -1;
    }

    /**
     * For each page-view series window that ended by {@code to}: the page views written in it against its final
     * value (the last one published: a late correction replaces the first).
     */
    static PageViewCheck checkPageViews(AppendLog log, Sightings finals, long to) {
        Map<Long, Long> written = new HashMap<>();
        for (int i = 0; i < log.size(); i++) {
            long key = log.key(i);
            if (SeriesWindows.windowEnd(key) <= to) {
                written.merge(key, 1L, Long::sum);
            }
        }
        Map<Long, Sightings.Sighting> last = new HashMap<>();
        for (Sightings.Sighting s : finals.all()) {
            last.merge(s.key(), s, (a, b) -> b.atMillis() >= a.atMillis() ? b : a);
        }
        long total = 0;
        long counted = 0;
        long mismatched = 0;
        long missing = 0;
        for (Map.Entry<Long, Long> e : written.entrySet()) {
            total += e.getValue();
            Sightings.Sighting s = last.get(e.getKey());
            if (s == null) {
                missing++;
                continue;
            }
            counted += (long) s.value();
            if ((long) s.value() != e.getValue()) {
                mismatched++;
            }
        }
        return new PageViewCheck(written.size(), total, counted, mismatched, missing);
    }
}
