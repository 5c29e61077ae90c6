package dev.pulse.bench;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The spike mode's figures as Markdown, printed and written into BENCHMARKS.md between its own markers. */
final class SpikeReport {
    static final String BEGIN = "<!-- pulse-bench:spike:begin -->";
    static final String END = "<!-- pulse-bench:spike:end -->";
    /** At most this many rows in the lag table: the step between rows grows with the run. */
    private static final int MAX_ROWS = 60;

    /** One row of the lag table: the sample at its time, rates over the step before it. */
    record Row(long second, String phase, double writtenPerSecond, double readPerSecond, LagSampler.Sample sample) {}

    private final String commandLine;
    private final SpikeBench.Plan plan;
    private final SpikeBench.Outcome outcome;
    private final String rateSource;
    private final String commit;

    SpikeReport(String commandLine, SpikeBench.Plan plan, SpikeBench.Outcome outcome, String rateSource,
                String commit) {
        this.commandLine = commandLine;
        this.plan = plan;
        this.outcome = outcome;
        this.rateSource = rateSource;
        this.commit = commit;
    }

    String markdown() {
        SpikeBench.Outcome o = outcome;
        List<LagSampler.Sample> samples = o.samples();
        StringBuilder b = new StringBuilder();
        b.append("## Promotion spike: ").append(LocalDate.now(ZoneOffset.UTC)).append(", commit ").append(commit)
                .append("\n\n");
        b.append("- Command: `").append(commandLine).append("`\n");
        b.append("- Machine: ").append(Machine.describe()).append('\n');
        b.append(String.format(Locale.ROOT, "- Load: sustainable rate %,.0f events/s (%s); live base traffic "
                        + "%,.0f events/s throughout; the spike %,.0f events/s planned (%.0fx) for %d s, %,.0f "
                        + "written per second on average while it lasted (its %,d extra events generated before "
                        + "the run in %.0f s, stamped when sent); %d partitions per topic; the job (parallelism %d, "
                        + "in this JVM), the broker, the exporter and the writers share the machine%n",
                plan.sustainableRate(), rateSource, plan.baseRate(), plan.spikeRate(), SpikeBench.SPIKE_FACTOR,
                plan.spike().toSeconds(), rateBetween(samples, o.spikeFrom(), o.spikeTo()), o.spikeSent(),
                o.generationSeconds(), plan.partitions(), plan.parallelism()));
        Peak lag = peakLag(samples);
        b.append(String.format(Locale.ROOT, "- Consumer lag (log-end offsets minus the sources' positions, summed "
                        + "over partitions): peak %,d records %.0f s after the spike began; caught up (nothing "
                        + "appended over 0.5 s before unread): %s%n",
                lag.value(), (lag.atMillis() - o.spikeFrom()) / 1000.0,
                o.drainedAt() < 0 ? "**not** within " + plan.drainTimeout().toSeconds() + " s of the "
                        + "spike's end (missed)"
                        : String.format(Locale.ROOT, "%.0f s after the spike ended",
                                (o.drainedAt() - o.spikeTo()) / 1000.0)));
        long end = o.drainedAt() < 0 ? Long.MAX_VALUE : o.drainedAt();
        b.append(String.format(Locale.ROOT, "- Backpressure (the busiest task's backPressuredTimeMsPerSecond): up "
                        + "to %,d ms/s during the spike and its drain, %,d ms/s in the warm-up; freshness (age of "
                        + "the newest final minute on the exporter, any metric, as the dashboard shows it): %s in the "
                        + "warm-up, %s during the spike and its drain; of page views alone: %s and %s%n",
                maxBackPressure(samples, o.spikeFrom(), end), maxBackPressure(samples, o.startMillis(), o.spikeFrom()),
                atMost(maxOf(samples, o.startMillis(), o.spikeFrom(), LagSampler.Sample::freshnessSeconds)),
                atMost(maxOf(samples, o.spikeFrom(), end, LagSampler.Sample::freshnessSeconds)),
                atMost(maxOf(samples, o.startMillis(), o.spikeFrom(), LagSampler.Sample::pageViewFreshnessSeconds)),
                atMost(maxOf(samples, o.spikeFrom(), end, LagSampler.Sample::pageViewFreshnessSeconds))));
        SpikeBench.PageViewCheck pv = o.pageViews();
        boolean allRead = o.written() == o.endOffsets() && o.read() == o.endOffsets();
        b.append(String.format(Locale.ROOT, "- Nothing lost: %,d events written (acknowledged), %,d in the input "
                        + "topics, %,d read by the job (%s); page views in the %,d minute-series windows that closed: "
                        + "%,d written, %,d in their final values, %,d windows differ, %,d without a final value "
                        + "(%s)%n",
                o.written(), o.endOffsets(), o.read(), allRead ? "all" : "**not all**", pv.windows(),
                pv.written(), pv.counted(), pv.mismatched(), pv.missing(), pv.exact() ? "exact" : "**not exact**"));
        RunResult.Checkpoints c = o.checkpoints();
        b.append(String.format(Locale.ROOT, "- Checkpoints: %d completed, %d failed, duration p50 %,d ms, max %,d "
                        + "ms (every %d s)%n", c.completed, c.failed, c.durationP50Millis, c.durationMaxMillis,
                o.settings().checkpointInterval.toSeconds()));
        b.append("- On the \"Pulse pipeline health\" dashboard: \"Events in per second by stream\", \"Consumer lag: "
                + "records not read yet\" (pendingRecords), \"Backpressure by task\", \"Freshness and result "
                + "delay\"\n\n");
        MarkdownTable t = new MarkdownTable("s", "phase", "written/s", "read/s", "consumer lag",
                "of it older than 0.5 s", "pendingRecords", "backpressure ms/s", "freshness s",
                "page views freshness s");
        for (Row r : rows(samples, o.startMillis(), o.spikeFrom(), o.spikeTo(), o.drainedAt())) {
            LagSampler.Sample s = r.sample();
            t.row(r.second(), r.phase(), BenchReport.count(r.writtenPerSecond()),
                    BenchReport.count(r.readPerSecond()), s.lag() < 0 ? "-" : BenchReport.count(s.lag()),
                    s.backlog() < 0 ? "-" : BenchReport.count(s.backlog()),
                    s.pendingRecords() < 0 ? "-" : BenchReport.count(s.pendingRecords()),
                    BenchReport.count(s.backPressuredMsPerSecond()),
                    whole(s.freshnessSeconds()), whole(s.pageViewFreshnessSeconds()));
        }
        b.append(t.render()).append('\n');
        b.append("Method: docs/benchmarks.md, \"Spike mode\".\n\n");
        return b.toString();
    }

    /**
     * The samples every step from {@code start} (step: 10 s, more when the run would need over {@value #MAX_ROWS}
     * rows), each with its phase and the write and read rates since the row before.
     */
    static List<Row> rows(List<LagSampler.Sample> samples, long start, long spikeFrom, long spikeTo, long drainedAt) {
        List<Row> rows = new ArrayList<>();
        if (samples.isEmpty()) {
            return rows;
        }
        long span = samples.get(samples.size() - 1).atMillis() - start;
        long step = Math.max(10_000, (span / MAX_ROWS + 4_999) / 5_000 * 5_000);
        LagSampler.Sample previous = null;
        long next = start;
        for (LagSampler.Sample s : samples) {
            if (s.atMillis() < next && s != samples.get(samples.size() - 1)) {
                continue;
            }
            double seconds = previous == null ? 0 : (s.atMillis() - previous.atMillis()) / 1000.0;
            rows.add(new Row(Math.round((s.atMillis() - start) / 1000.0), phase(s.atMillis(), spikeFrom, spikeTo,
                    drainedAt), seconds > 0 ? (s.written() - previous.written()) / seconds : 0,
                    seconds > 0 ? (s.read() - previous.read()) / seconds : 0, s));
            previous = s;
            next = s.atMillis() + step;
        }
        return rows;
    }

    static String phase(long at, long spikeFrom, long spikeTo, long drainedAt) {
        if (at < spikeFrom) {
            return "warm-up";
        }
        if (at <= spikeTo) {
            return "spike";
        }
        return drainedAt < 0 || at < drainedAt ? "drain" : "after";
    }

    /** Events written per second between the samples nearest the two times. */
    static double rateBetween(List<LagSampler.Sample> samples, long from, long to) {
        LagSampler.Sample a = null;
        LagSampler.Sample b = null;
        for (LagSampler.Sample s : samples) {
            if (s.atMillis() <= from) {
                a = s;
            }
            if (b == null && s.atMillis() >= to) {
                b = s;
            }
        }
        if (a == null || b == null || b.atMillis() == a.atMillis()) {
            return 0;
        }
        return (b.written() - a.written()) * 1000.0 / (b.atMillis() - a.atMillis());
    }

    record Peak(long value, long atMillis) {}

    static Peak peakLag(List<LagSampler.Sample> samples) {
        Peak peak = new Peak(0, 0);
        for (LagSampler.Sample s : samples) {
            if (s.lag() > peak.value()) {
                peak = new Peak(s.lag(), s.atMillis());
            }
        }
        return peak;
    }

    private static long maxBackPressure(List<LagSampler.Sample> samples, long from, long to) {
        return samples.stream().filter(s -> s.atMillis() >= from && s.atMillis() <= to)
                .mapToLong(LagSampler.Sample::backPressuredMsPerSecond).max().orElse(0);
    }

    private static double maxOf(List<LagSampler.Sample> samples, long from, long to,
                                ToDoubleFunction<LagSampler.Sample> value) {
        return samples.stream().filter(s -> s.atMillis() >= from && s.atMillis() <= to)
                .mapToDouble(value).filter(d -> !Double.isNaN(d)).max().orElse(Double.NaN);
    }

    private static String whole(double s) {
        return Double.isNaN(s) ? "-" : BenchReport.count(s);
    }

    private static String atMost(double s) {
        return Double.isNaN(s) ? "no final minute yet" : String.format(Locale.ROOT, "at most %.0f s", s);
    }
}
