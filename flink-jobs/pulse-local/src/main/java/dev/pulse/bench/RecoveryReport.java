package dev.pulse.bench;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The recovery mode's figures as Markdown, printed and written into BENCHMARKS.md between its own markers. */
final class RecoveryReport {
    static final String BEGIN = "<!-- pulse-bench:recovery:begin -->";
    static final String END = "<!-- pulse-bench:recovery:end -->";
    /** From a killed task to zero consumer lag with state for a million visitors (issue "Proof under stress"). */
    static final long TARGET_MILLIS = 10_000;

    private final String commandLine;
    private final RecoveryBench.Plan plan;
    private final RecoveryBench.Outcome outcome;
    private final String commit;

    RecoveryReport(String commandLine, RecoveryBench.Plan plan, RecoveryBench.Outcome outcome, String commit) {
        this.commandLine = commandLine;
        this.plan = plan;
        this.outcome = outcome;
        this.commit = commit;
    }

    String markdown() {
        RecoveryBench.Outcome o = outcome;
        StringBuilder b = new StringBuilder();
        b.append("## Recovery: ").append(LocalDate.now(ZoneOffset.UTC)).append(", commit ").append(commit)
                .append("\n\n");
        b.append("- Command: `").append(commandLine).append("`\n");
        b.append("- Machine: ").append(Machine.describe()).append('\n');
        b.append(String.format(Locale.ROOT, "- State: a history of %,d visitors (one page view each, over the %d "
                        + "days before the run) read in %.1f s; before the first kill RocksDB estimated %s keys in "
                        + "the visitor state and the latest checkpoint held %s%n",
                o.historyEvents(), VisitorHistory.SPAN.toDays(), o.historySeconds(),
                o.visitorKeys() < 0 ? "no" : BenchReport.count(o.visitorKeys()), BenchReport.bytes(o.stateBytes())));
        b.append(String.format(Locale.ROOT, "- Load: live traffic at %,.0f events/s, %d partitions per topic, "
                        + "parallelism %d, the job in a MiniCluster of the benchmark's JVM with one TaskManager; each "
                        + "kill %d s after a checkpoint completed (checkpoints every %d s): the TaskManager is "
                        + "terminated and a fresh one started%n",
                plan.rate(), plan.partitions(), plan.parallelism(),
                RecoveryBench.KILL_AFTER_CHECKPOINT.toSeconds(), o.settings().checkpointInterval.toSeconds()));
        b.append("- Flink options that decide it: ").append(describe(o.flinkOptions())).append("\n\n");
        MarkdownTable t = new MarkdownTable("kill", "restored checkpoint", "restored state", "to deployed s",
                "to restoring s", "to running s", "to caught up s", "lag at its highest");
        List<Double> totals = new ArrayList<>();
        int n = 1;
        for (RecoveryBench.Kill k : o.kills()) {
            t.row(n++, k.restoredCheckpoint(), k.restoredStateBytes() < 0 ? "-" : BenchReport.bytes(k.restoredStateBytes()),
                    BenchReport.seconds(k.deployedAt() - k.killedAt()),
                    BenchReport.seconds(k.initializingAt() - k.killedAt()),
                    BenchReport.seconds(k.runningAt() - k.killedAt()),
                    k.totalMillis() < 0 ? "not within the timeout" : BenchReport.seconds(k.totalMillis()),
                    BenchReport.count(k.peakLag()));
            if (k.totalMillis() >= 0) {
                totals.add((double) k.totalMillis());
            }
        }
        b.append(t.render()).append('\n');
        if (totals.size() == o.kills().size() && !totals.isEmpty()) {
            double median = Stats.median(totals);
            b.append(String.format(Locale.ROOT, "- Kill to zero lag (caught up): median **%.1f s** (target at most "
                            + "%.0f s: %s)%n",
                    median / 1000, TARGET_MILLIS / 1000.0, median <= TARGET_MILLIS ? "met"
                            : String.format(Locale.ROOT, "**missed by %.1f s**", (median - TARGET_MILLIS) / 1000)));
        } else {
            b.append("- Kill to zero lag: **not measured for every kill** (the lag did not come back in time)\n");
        }
        b.append("\nMethod: docs/benchmarks.md, \"Recovery mode\".\n\n");
        return b.toString();
    }

    /** Options given for the run that shape recovery: restart strategy, state backend, local recovery, checkpoints. */
    static Map<String, String> flinkOptions(Map<String, String> options) {
        Map<String, String> chosen = new TreeMap<>();
        options.forEach((k, v) -> {
            boolean stateBackend = k.startsWith("state.backend") && !k.startsWith("state.backend.rocksdb.metrics");
            if (stateBackend || k.startsWith("restart-strategy") || k.startsWith("execution.checkpointing")
                    || k.startsWith("execution.state-recovery") || k.startsWith("pulse.checkpoint.interval")) {
                chosen.put(k, v);
            }
        });
        return chosen;
    }

    private static String describe(Map<String, String> options) {
        if (options.isEmpty()) {
            return "the job's defaults (exponential-delay restarts from 1 s, RocksDB with its timers in RocksDB, "
                    + "incremental checkpoints, no local recovery)";
        }
        List<String> parts = new ArrayList<>();
        options.forEach((k, v) -> parts.add("`" + k + "=" + v + "`"));
        return String.join(", ", parts) + ", else the job's defaults";
    }
}
