package dev.pulse.bench;

import dev.pulse.config.PulseOptions;
import dev.pulse.config.PulseSettings;
import dev.pulse.model.Stream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The throughput figures as Markdown: printed at the end of a run and written into BENCHMARKS.md between
 * {@link #BEGIN} and {@link #END}, so the hand-written history around them stays.
 */
final class BenchReport {
    static final String BEGIN = "<!-- pulse-bench:throughput:begin -->";
    static final String END = "<!-- pulse-bench:throughput:end -->";
    private static final int TOP_FRAMES = 15;
    private static final int TOP_THREADS = 15;
    private static final int BUSIEST_CHAINS = 3;

    /** The targets the engine is held to (issue "./pulse bench"), reported against, never enforced here. */
    static final double TARGET_EVENTS_PER_SECOND = 150_000;
    static final double TARGET_OF_RAW = 0.40;
    static final double TARGET_PARSE_OF_RAW = 0.60;
    static final double TARGET_OVER_SQL_TUNED = 3.0;
    static final double TARGET_OVER_SQL_PLAIN = 1.5;

    private final BenchCommand command;
    private final ThroughputBench.Plan plan;
    private final BenchInput.Loaded input;
    private final ThroughputBench.Outcome outcome;
    private final String commit;

    BenchReport(BenchCommand command, ThroughputBench.Plan plan, BenchInput.Loaded input,
                ThroughputBench.Outcome outcome, String commit) {
        this.command = command;
        this.commit = commit;
        this.plan = plan;
        this.input = input;
        this.outcome = outcome;
    }

    void writeTo(Path file) throws IOException {
        replaceSection(file, BEGIN, END, markdown());
    }

    /** Replaces the text between the markers (or appends it with them), leaving the rest of the file alone. */
    static void replaceSection(Path file, String beginMarker, String endMarker, String markdown) throws IOException {
        String section = beginMarker + "\n" + markdown + endMarker + "\n";
        String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\n";
        int begin = text.indexOf(beginMarker);
        int end = text.indexOf(endMarker);
        if (begin >= 0 && end > begin) {
            text = text.substring(0, begin) + section
                    + text.substring(end + endMarker.length()).replaceFirst("^\n", "");
        } else {
            text = text + (text.endsWith("\n\n") ? "" : "\n") + section;
        }
        Files.writeString(file, text);
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("## Throughput: ").append(LocalDate.now(ZoneOffset.UTC)).append(", commit ")
                .append(commit).append("\n\n");
        b.append("- Command: `").append(command.commandLine()).append("`\n");
        b.append("- Machine: ").append(Machine.describe()).append('\n');
        b.append(String.format(Locale.ROOT, "- Input: %,d generated events (click %,d, order %,d, ad %,d; %.0f MB of "
                        + "JSON), seed %d, %d partitions per topic, loaded once into Kafka before any timing%n",
                input.total(), input.events().get(Stream.CLICK),
                input.events().get(Stream.ORDER), input.events().get(Stream.AD),
                input.bytes() / 1e6, command.seed(), command.partitions()));
        b.append(String.format(Locale.ROOT, "- Runs: parallelism %d, %d round(s) alternating (%s), each run a fresh "
                        + "JVM (heap %s, Flink managed memory %s), its own MiniCluster, RocksDB, checkpoints every "
                        + "%s, exactly-once Kafka sinks; events/s = events read / time from the first record out "
                        + "of a source to the last record moving anywhere%n%n",
                plan.parallelism(), plan.rounds(), String.join(" ", plan.variants().stream().map(v -> v.code).toList()),
                plan.heap(), plan.managedMemory(), checkpointInterval()));
        b.append(throughputTable().render()).append('\n');
        b.append(ratios()).append('\n');
        if (!outcome.agreement().isEmpty()) {
            b.append("SQL twin against Pulse (final values of round 1):\n");
            outcome.agreement().forEach((v, a) -> b.append("- ").append(v.code).append(": ").append(a.summary())
                    .append('\n'));
            b.append('\n');
        }
        b.append("Checkpoints (medians over the rounds of each variant; size = full state of the largest):\n\n");
        b.append(checkpointTable().render()).append('\n');
        if (outcome.state() != null) {
            b.append(stateSection()).append('\n');
        }
        if (outcome.profile() != null) {
            b.append(profileSection()).append('\n');
        }
        String threads = threadSection();
        if (!threads.isEmpty()) {
            b.append(threads).append('\n');
        }
        return b.toString();
    }

    private MarkdownTable throughputTable() {
        MarkdownTable t = new MarkdownTable("variant", "events read", "events/s min", "events/s median", "of raw",
                "processing s", "start-up s", "shutdown s", "output records");
        for (Variant v : plan.variants()) {
            List<RunResult> runs = outcome.runsOf(v);
            if (runs.isEmpty()) {
                continue;
            }
            List<Double> rates = runs.stream().map(RunResult::eventsPerSecond).toList();
            double ofRaw = median(v) / median(Variant.RAW);
            t.row(v.code, count(runs.get(0).sourceRecords), count(Stats.min(rates)), count(Stats.median(rates)),
                    Double.isNaN(ofRaw) ? "-" : String.format(Locale.ROOT, "%.2f", ofRaw),
                    seconds(medianOf(runs, r -> r.processingMillis())),
                    seconds(medianOf(runs, r -> r.startupMillis())), seconds(medianOf(runs, r -> r.teardownMillis())),
                    outputs(runs.get(0).outputRecords));
        }
        return t;
    }

    private String ratios() {
        double pulse = median(Variant.PULSE);
        List<String> lines = new ArrayList<>();
        lines.add(target("pulse events/s", pulse, TARGET_EVENTS_PER_SECOND, "%,.0f"));
        lines.add(target("pulse/raw", pulse / median(Variant.RAW), TARGET_OF_RAW, "%.2f"));
        lines.add(target("parse/raw", median(Variant.PARSE) / median(Variant.RAW), TARGET_PARSE_OF_RAW, "%.2f"));
        lines.add(target("keyed/raw", median(Variant.KEYED) / median(Variant.RAW), Double.NaN, "%.2f"));
        lines.add(target("pulse/parse", pulse / median(Variant.PARSE), Double.NaN, "%.2f"));
        lines.add(target("pulse/keyed", pulse / median(Variant.KEYED), Double.NaN, "%.2f"));
        lines.add(target("pulse/sql-tuned", pulse / median(Variant.SQL_TUNED), TARGET_OVER_SQL_TUNED, "%.2f"));
        lines.add(target("pulse/sql-plain", pulse / median(Variant.SQL_PLAIN), TARGET_OVER_SQL_PLAIN, "%.2f"));
        lines.removeIf(String::isEmpty);
        if (lines.isEmpty()) {
            return "Too few variants for a ratio.\n";
        }
        StringBuilder b = new StringBuilder("Ratios of medians, against the targets:\n");
        lines.forEach(l -> b.append("- ").append(l).append('\n'));
        return b.toString();
    }

    private static String target(String name, double value, double target, String format) {
        if (Double.isNaN(value)) {
            return "";
        }
        String shown = String.format(Locale.ROOT, format, value);
        if (Double.isNaN(target)) {
            return name + " = " + shown;
        }
        String goal = String.format(Locale.ROOT, format, target);
        if (value >= target) {
            return name + " = " + shown + " (target at least " + goal + ": met)";
        }
        // "1.0x short" would hide a miss of a few per cent
        String miss = target / value < 1.1
                ? String.format(Locale.ROOT, "missed by %.0f %%", 100 * (1 - value / target))
                : String.format(Locale.ROOT, "missed, %.1fx short", target / value);
        return name + " = " + shown + " (target at least " + goal + ": " + miss + ")";
    }

    private MarkdownTable checkpointTable() {
        MarkdownTable t = new MarkdownTable("variant", "completed", "failed", "duration p50 ms", "duration max ms",
                "state size", "largest written");
        for (Variant v : plan.variants()) {
            List<RunResult> runs = outcome.runsOf(v);
            if (runs.isEmpty()) {
                continue;
            }
            t.row(v.code, count(medianOf(runs, r -> r.checkpoints.completed)),
                    count(medianOf(runs, r -> r.checkpoints.failed)),
                    count(medianOf(runs, r -> r.checkpoints.durationP50Millis)),
                    count(medianOf(runs, r -> r.checkpoints.durationMaxMillis)),
                    bytes(medianOf(runs, r -> r.checkpoints.maxStateBytes)),
                    bytes(medianOf(runs, r -> r.checkpoints.maxCheckpointedBytes)));
        }
        return t;
    }

    private String stateSection() {
        RunResult state = outcome.state();
        StringBuilder b = new StringBuilder("State of the metrics job once it has read all input (a canonical "
                + "savepoint: live keys and values only), per operator. The ids and visitors an operator should be "
                + "tracking are recomputed from the generated events (see docs/benchmarks.md):\n\n");
        PulseSettings settings = PulseSettings.from(plan.pulseOptions());
        MarkdownTable t = new MarkdownTable("operator", "state", "ids tracked", "bytes per id", "visitors tracked",
                "bytes per visitor");
        for (RunResult.TaskState operator : state.state) {
            StateKeys keys = StateKeys.of(operator.task, input, settings);
            if (keys == null) {
                t.row(operator.task, bytes(operator.bytes), "-", "-", "-", "-");
                continue;
            }
            t.row(operator.task, bytes(operator.bytes), keys.ids() == 0 ? "-" : count(keys.ids()),
                    perKey(operator.bytes, keys.ids()), count(keys.visitors()),
                    perKey(operator.bytes, keys.visitors()));
        }
        return b.append(t.render()).toString();
    }

    private static String perKey(long bytes, long keys) {
        return keys == 0 ? "-" : String.format(Locale.ROOT, "%.1f", (double) bytes / keys);
    }

    private String profileSection() {
        CpuProfile p = outcome.profile();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "CPU profile of the `pulse` runs (JFR, %,d samples of the job's threads; JIT and GC threads are not"
                        + " sampled):%n%n", p.samples()));
        MarkdownTable libraries = new MarkdownTable("library (innermost non-JDK frame)", "share");
        p.byLibrary().forEach((library, n) -> libraries.row(library, percent(p.share(n))));
        b.append(libraries.render()).append('\n');
        MarkdownTable frames = new MarkdownTable("top frame (self)", "share");
        p.byFrame().entrySet().stream().limit(TOP_FRAMES)
                .forEach(e -> frames.row("`" + e.getKey() + "`", percent(p.share(e.getValue()))));
        return b.append(frames.render()).append('\n').append(activitySection(p)).toString();
    }

    /** What the busiest operator chains' threads were doing, and all of the job's threads together. */
    private static String activitySection(CpuProfile p) {
        Map<StackActivity, Double> all = new EnumMap<>(StackActivity.class);
        Map<String, Double> chainTotals = new HashMap<>();
        p.byChainActivity().forEach((chain, activities) -> activities.forEach((activity, ms) -> {
            all.merge(activity, ms, Double::sum);
            chainTotals.merge(chain, ms, Double::sum);
        }));
        List<String> busiest = chainTotals.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(BUSIEST_CHAINS).map(Map.Entry::getKey).toList();
        List<String> header = new ArrayList<>(List.of("activity (the first that the sample's stack shows)", "all"));
        busiest.forEach(chain -> header.add("`" + chain + "` chain"));
        MarkdownTable t = new MarkdownTable(header.toArray(String[]::new));
        for (StackActivity activity : StackActivity.values()) {
            List<String> row = new ArrayList<>(List.of(activity.label, percent(shareOf(all, activity))));
            busiest.forEach(chain -> row.add(percent(shareOf(p.byChainActivity().get(chain), activity))));
            t.row(row.toArray(String[]::new));
        }
        return "What the job's threads were doing (the same samples; JFR's thread names, a chain named after its first"
                + " operator, its subtasks together):\n\n" + t.render();
    }

    private static double shareOf(Map<StackActivity, Double> activities, StackActivity activity) {
        double total = activities.values().stream().mapToDouble(Double::doubleValue).sum();
        return total == 0 ? 0 : activities.getOrDefault(activity, 0.0) / total;
    }

    /** CPU time of the `pulse` runs by thread, native ones included: where the machine's time went. */
    private String threadSection() {
        List<RunResult> runs = outcome.runsOf(Variant.PULSE);
        Map<String, Double> seconds = new HashMap<>();
        runs.forEach(r -> r.cpuSecondsByThread.forEach((thread, s) -> seconds.merge(thread, s, Double::sum)));
        double total = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
        if (total == 0) {
            return "";
        }
        double events = runs.stream().mapToLong(r -> r.sourceRecords).sum();
        double processing = runs.stream().mapToLong(RunResult::processingMillis).sum() / 1000.0;
        MarkdownTable t = new MarkdownTable("thread (Linux's name: 15 characters)", "CPU s", "share", "µs per event");
        List<Map.Entry<String, Double>> top = seconds.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).toList();
        double shown = 0;
        for (Map.Entry<String, Double> e : top.subList(0, Math.min(TOP_THREADS, top.size()))) {
            t.row("`" + e.getKey() + "`", String.format(Locale.ROOT, "%.1f", e.getValue()),
                    percent(e.getValue() / total), String.format(Locale.ROOT, "%.1f", e.getValue() * 1e6 / events));
            shown += e.getValue();
        }
        double rest = Math.max(0, total - shown); // not -0.0 when every thread is shown
        t.row("every other thread", String.format(Locale.ROOT, "%.1f", rest), percent(rest / total),
                String.format(Locale.ROOT, "%.1f", rest * 1e6 / events));
        return String.format(Locale.ROOT, "CPU time of the `pulse` runs by thread, from the first record read to the"
                        + " end (Linux's accounting of every thread of the run's JVM, so RocksDB's flushes and "
                        + "compactions, the JIT and GC too; %d run(s)): **%.1f µs of CPU per event** in all, %.2f of "
                        + "the %d cores busy on average%n%n",
                runs.size(), total * 1e6 / events, total / processing, Runtime.getRuntime().availableProcessors())
                + t.render();
    }

    private String checkpointInterval() {
        return plan.pulseOptions().getOrDefault(PulseOptions.CHECKPOINT_INTERVAL.key(),
                PulseOptions.CHECKPOINT_INTERVAL.defaultValue().toSeconds() + " s");
    }

    private double median(Variant v) {
        List<Double> rates = outcome.runsOf(v).stream().map(RunResult::eventsPerSecond).toList();
        return rates.isEmpty() ? Double.NaN : Stats.median(rates);
    }

    private static double medianOf(List<RunResult> runs, ToDoubleFunction<RunResult> f) {
        return Stats.median(runs.stream().map(r -> f.applyAsDouble(r)).toList());
    }

    private static String outputs(Map<String, Long> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((what, n) -> parts.add(String.format(Locale.ROOT, "%s %,d", what, n)));
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    static String count(double n) {
        return String.format(Locale.ROOT, "%,.0f", n);
    }

    static String seconds(double millis) {
        return String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    static String bytes(double n) {
        if (n >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (1 << 20));
        }
        return n >= 1 << 10 ? String.format(Locale.ROOT, "%.1f KiB", n / (1 << 10)) : String.format(Locale.ROOT, "%.0f B", n);
    }
}
