package dev.pulse.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

/** The latency mode's figures as Markdown, printed and written into BENCHMARKS.md between its own markers. */
final class LatencyReport {
    static final String BEGIN = "<!-- pulse-bench:latency:begin -->";
    static final String END = "<!-- pulse-bench:latency:end -->";
    /** Running values: at most this from append to /metrics at half the maximum rate (issue "./pulse bench"). */
    static final long TARGET_RUNNING_P99_MILLIS = 1000;
    /** Alerts: at most this from the triggering order's append to the live alerts topic (issue "alerts"). */
    static final long TARGET_ALERT_P99_MILLIS = 500;

    private final String commandLine;
    private final LatencyBench.Plan plan;
    private final LatencyBench.Outcome outcome;
    private final String rateSource;
    private final String commit;

    LatencyReport(String commandLine, LatencyBench.Plan plan, LatencyBench.Outcome outcome, String rateSource,
                  String commit) {
        this.commit = commit;
        this.commandLine = commandLine;
        this.plan = plan;
        this.outcome = outcome;
        this.rateSource = rateSource;
    }

    void writeTo(Path file) throws IOException {
        BenchReport.replaceSection(file, BEGIN, END, markdown());
    }

    String markdown() {
        long finalTarget = outcome.settings().outOfOrderness.toMillis()
                + outcome.settings().checkpointInterval.toMillis() + 1000;
        StringBuilder b = new StringBuilder();
        b.append("## Freshness and latency: ").append(LocalDate.now(ZoneOffset.UTC)).append(", commit ")
                .append(commit).append("\n\n");
        b.append("- Command: `").append(commandLine).append("`\n");
        b.append("- Machine: ").append(Machine.describe()).append('\n');
        b.append(String.format(Locale.ROOT, "- Load: %,.0f events/s planned (%s), %,.0f written per second on average"
                        + " while measuring; live traffic (event time = now) into 2 partitions per topic; %d s of "
                        + "warm-up, then %d s measured; the job, the broker, the exporter and this measurement share "
                        + "the machine%n",
                outcome.targetRate(), rateSource, outcome.writtenRate(), plan.warmup().toSeconds(),
                plan.measure().toSeconds()));
        b.append(String.format(Locale.ROOT, "- /metrics read every %d ms (%,d reads; %d shown values matched no "
                        + "published value)%n%n", MetricsPoller.PERIOD.toMillis(), outcome.polls(), outcome.unmatched()));
        MarkdownTable t = new MarkdownTable("visible", "measured from", "samples", "p50 ms", "p99 ms", "max ms",
                "not seen", "target");
        row(t, "running value on the live topic", "each page view's append", outcome.running(), "-");
        row(t, "final value on the final topic (read_committed)", "the window's end", outcome.finals(),
                String.format(Locale.ROOT, "p99 <= %,d ms (out-of-orderness + checkpoint interval + 1 s): %s",
                        finalTarget, met(outcome.finals().p(99) <= finalTarget)));
        row(t, "value on the exporter's /metrics", "each page view's append", outcome.exporter(),
                String.format(Locale.ROOT, "p99 <= %,d ms: %s", TARGET_RUNNING_P99_MILLIS,
                        met(outcome.exporter().p(99) <= TARGET_RUNNING_P99_MILLIS)));
        row(t, "risk alert on the live alerts topic (at-least-once)", "the triggering order's append",
                outcome.liveAlerts(), String.format(Locale.ROOT, "p99 <= %,d ms: %s", TARGET_ALERT_P99_MILLIS,
                        met(outcome.liveAlerts().p(99) <= TARGET_ALERT_P99_MILLIS)));
        row(t, "risk alert on the alerts topic (exactly-once, read_committed)", "the triggering order's append",
                outcome.alerts(), String.format(Locale.ROOT, "about the out-of-orderness (%,d ms: judged once the "
                        + "watermark passes) + the checkpoint interval (%,d ms) + a checkpoint's duration",
                        outcome.settings().outOfOrderness.toMillis(), outcome.settings().checkpointInterval.toMillis()));
        b.append(t.render()).append('\n');
        b.append("Method: docs/benchmarks.md, \"Freshness and latency\".\n\n");
        return b.toString();
    }

    private static String met(boolean met) {
        return met ? "met" : "missed";
    }

    private static void row(MarkdownTable t, String what, String from, LatencyBench.Figures f, String target) {
        t.row(what, from, BenchReport.count(f.sortedMillis().length), BenchReport.count(f.p(50)),
                BenchReport.count(f.p(99)), BenchReport.count(f.max()), BenchReport.count(f.notSeen()), target);
    }
}
