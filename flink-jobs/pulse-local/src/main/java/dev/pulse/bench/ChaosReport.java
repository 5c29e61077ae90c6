package dev.pulse.bench;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The chaos mode's figures as Markdown, printed and written into BENCHMARKS.md between its own markers. */
final class ChaosReport {
    static final String BEGIN = "<!-- pulse-bench:chaos:begin -->";
    static final String END = "<!-- pulse-bench:chaos:end -->";

    private final String commandLine;
    private final ChaosBench.Plan plan;
    private final ChaosBench.Outcome outcome;
    private final String commit;
    private final String machine;
    private final LocalDate date;

    ChaosReport(String commandLine, ChaosBench.Plan plan, ChaosBench.Outcome outcome, String commit, String machine,
                LocalDate date) {
        this.commandLine = commandLine;
        this.plan = plan;
        this.outcome = outcome;
        this.commit = commit;
        this.machine = machine;
        this.date = date;
    }

    static ChaosReport now(String commandLine, ChaosBench.Plan plan, ChaosBench.Outcome outcome, String commit) {
        return new ChaosReport(commandLine, plan, outcome, commit, Machine.describe(), LocalDate.now(ZoneOffset.UTC));
    }

    String markdown() {
        List<ChaosBench.Recovery> recoveries = outcome.chaos().recoveries();
        StringBuilder b = new StringBuilder();
        b.append("## Proof under stress (chaos): ").append(date).append(", commit ").append(commit).append("\n\n");
        b.append("- Command: `").append(commandLine).append("`\n");
        b.append("- Machine: ").append(machine).append('\n');
        b.append(String.format(Locale.ROOT, "- Input: a generated business day, %,d events (%s), event time %s to "
                        + "%s, %d partitions per input topic; the chaos run gets it in %d slices of equal event-time "
                        + "span written into the running job, then a close-out event per partition a day later%n",
                outcome.total(), streams(outcome.events()), outcome.firstEvent(), outcome.lastEvent(),
                ChaosBench.INPUT_PARTITIONS, plan.slices()));
        b.append(String.format(Locale.ROOT, "- Job: every family, Kafka in and out, exactly-once, RocksDB, "
                        + "checkpoints every %s, watermark idle timeout %s, on a MiniCluster of 1 TaskManager with %d "
                        + "slots in the bench's JVM (managed memory %s) against the local broker%n",
                outcome.settings().checkpointInterval.toMillis() + " ms",
                outcome.settings().idleTimeout.toSeconds() + " s", ChaosCluster.SLOTS, plan.managedMemory()));
        b.append(String.format(Locale.ROOT, "- Faults (seed %d): %d TaskManagers lost, %d whole-job restart from "
                        + "the latest retained checkpoint, %d stop-with-savepoint and resume (parallelism %s), %d "
                        + "Kafka broker restart; %d restarts counted by Flink (task attempts)%n",
                plan.seed(), count(recoveries, ChaosSchedule.Kind.TASK_MANAGER_LOSS),
                count(recoveries, ChaosSchedule.Kind.JOB_RESTART), count(recoveries, ChaosSchedule.Kind.RESCALE),
                parallelisms(recoveries), count(recoveries, ChaosSchedule.Kind.BROKER_RESTART),
                outcome.chaos().flinkRestarts()));
        b.append(String.format(Locale.ROOT, "- Wall time: failure-free run %s s, chaos run %s s%n%n",
                BenchReport.seconds(outcome.calm().wallMillis()), BenchReport.seconds(outcome.chaos().wallMillis())));

        MarkdownTable result = new MarkdownTable("check", "compared", "differences");
        result.row("final values (metric, labels, window), read_committed", BenchReport.count(
                outcome.finals().compared()), BenchReport.count(outcome.finals().differing()));
        result.row("final records written twice (same window, same value in a row)",
                BenchReport.count(outcome.finals().compared()), BenchReport.count(outcome.chaosWrittenTwice()));
        result.row("final alerts, read_committed", BenchReport.count(outcome.alerts().compared()),
                BenchReport.count(outcome.alerts().differing()));
        result.row("running values not converged (last running value, then the final)",
                BenchReport.count(outcome.chaosRunning().windows()),
                BenchReport.count(outcome.chaosRunning().notConverged()));
        b.append(result.render()).append('\n');
        b.append(String.format(Locale.ROOT, "Final values are compared as each window ends, after its corrections: "
                        + "%,d windows got a correction after closing in the chaos run, %,d in the failure-free run "
                        + "(net GMV: a refund read after the watermark passed its payment's minute, which depends on "
                        + "how the input arrived).%n%n", outcome.chaosCorrected(), outcome.calmCorrected()));
        b.append(String.format(Locale.ROOT, "Running values: %,d of the %,d windows with a running value ended with "
                        + "a last running value equal to their final value (failure-free run: %,d of %,d); the others' "
                        + "last events came after their last running update, and the final value took over.%n%n",
                outcome.chaosRunning().lastRunningIsFinal(), outcome.chaosRunning().windows(),
                outcome.calmRunning().lastRunningIsFinal(), outcome.calmRunning().windows()));

        MarkdownTable times = new MarkdownTable("recovery", "faults", "to running min / median / max s",
                "to output min / median / max s");
        for (ChaosSchedule.Kind kind : ChaosSchedule.Kind.values()) {
            List<ChaosBench.Recovery> of = recoveries.stream().filter(r -> r.fault().kind() == kind).toList();
            if (!of.isEmpty()) {
                times.row(label(kind), of.size(), spread(of, true), spread(of, false));
            }
        }
        b.append(times.render()).append('\n');

        MarkdownTable each = new MarkdownTable("#", "after slice", "+ms", "fault", "to running ms", "to output ms",
                "Flink restarts");
        int n = 1;
        for (ChaosBench.Recovery r : recoveries) {
            each.row(n++, r.fault().slice() + 1, r.fault().delayMillis(), r.fault().describe(),
                    BenchReport.count(r.toRunningMillis()), BenchReport.count(r.toOutputMillis()), r.flinkRestarts());
        }
        b.append("<details><summary>Each fault</summary>\n\n").append(each.render()).append("\n</details>\n\n");
        b.append("Method: docs/benchmarks.md, \"Chaos mode\".\n\n");
        return b.toString();
    }

    private static String label(ChaosSchedule.Kind kind) {
        return switch (kind) {
            case TASK_MANAGER_LOSS -> "TaskManager lost";
            case JOB_RESTART -> "job restarted from checkpoint";
            case RESCALE -> "stop-with-savepoint, rescaled";
            case BROKER_RESTART -> "broker restarted (to running: broker serving)";
        };
    }

    private static long count(List<ChaosBench.Recovery> recoveries, ChaosSchedule.Kind kind) {
        return recoveries.stream().filter(r -> r.fault().kind() == kind).count();
    }

    private static String parallelisms(List<ChaosBench.Recovery> recoveries) {
        StringBuilder b = new StringBuilder().append(ChaosSchedule.START_PARALLELISM);
        recoveries.stream().filter(r -> r.fault().kind() == ChaosSchedule.Kind.RESCALE)
                .forEach(r -> b.append(" -> ").append(r.fault().parallelism()));
        return b.toString();
    }

    private static String spread(List<ChaosBench.Recovery> of, boolean toRunning) {
        List<Double> ms = of.stream().map(r -> (double) (toRunning ? r.toRunningMillis() : r.toOutputMillis()))
                .toList();
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f", Stats.min(ms) / 1000,
                Stats.median(ms) / 1000, ms.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN) / 1000);
    }

    private static String streams(Map<dev.pulse.model.Stream, Long> events) {
        StringBuilder b = new StringBuilder();
        events.forEach((s, n) -> b.append(b.length() == 0 ? "" : ", ").append(s.code()).append(' ')
                .append(String.format(Locale.ROOT, "%,d", n)));
        return b.toString();
    }
}
