package dev.pulse.bench;

import dev.pulse.cli.ConfigMixin;
import dev.pulse.cli.DurationConverter;
import dev.pulse.config.PulseSettings;
import dev.pulse.generator.GeneratorSettings;
import dev.pulse.local.LocalKafkaBroker;
import dev.pulse.model.Stream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pulse bench}: how much traffic this machine takes and how fresh the numbers are. Loads generated events
 * once into a real Kafka broker (its own, or {@code --bootstrap-servers}), then, in throughput mode, runs each
 * variant (raw read, parsing, the metrics job, its Flink SQL twin with and without mini-batch) in a fresh JVM,
 * rounds alternating, and prints and records min and median events/s, ratios, output records, checkpoints, state
 * per key and a CPU profile of the metrics job. Options: {@code --events}, {@code --partitions},
 * {@code --parallelism}, {@code --rounds}, {@code --variants}, {@code --sessions-per-minute}, {@code --seed},
 * {@code --heap}, {@code --managed-memory}, {@code --no-profile}, {@code --no-state}, {@code --work-dir},
 * {@code --report}, {@code --bootstrap-servers}, and {@code --config}/{@code -D} for Pulse options of the job.
 * In chaos mode ({@link ChaosBench}) a generated day runs failure-free and then under injected failures, and the
 * results must be identical; its options: {@code --seed} (repeats the faults), {@code --failures},
 * {@code --slices}, {@code --sessions-per-minute} (default 120 there), {@code --managed-memory}.
 * The other modes: {@code latency} ({@link LatencyBench}: {@code --rate}, {@code --warmup}, {@code --duration}),
 * {@code spike} ({@link SpikeBench}: {@code --rate} as the sustainable rate, {@code --warmup}, {@code --duration}
 * as the spike's length, {@code --drain-timeout}) and {@code recovery} ({@link RecoveryBench}: {@code --visitors},
 * {@code --kills}, {@code --rate} as the live traffic).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the engine on this machine: the metrics job against a raw read, parsing alone "
                + "and its Flink SQL twin, each in a fresh JVM; results printed and written to BENCHMARKS.md.")
public class BenchCommand implements Callable<Integer> {

    enum Mode { throughput, latency, chaos, spike, recovery }

    @Mixin
    ConfigMixin config = new ConfigMixin();

    @Option(names = "--mode", defaultValue = "throughput", paramLabel = "throughput|latency|chaos|spike|recovery",
            description = "throughput: every variant over pre-loaded input; latency: live traffic at a fixed rate, "
                    + "append-to-visible times; chaos: a generated day under injected failures against a "
                    + "failure-free run; spike: a promotion at 3x the sustainable rate, consumer lag over time; "
                    + "recovery: time from a killed task to zero lag (default: ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_S",
            description = "Latency mode: write rate; default half of the metrics job's maximum, measured first. "
                    + "Spike mode: the sustainable rate itself (the spike writes 3x it); default the maximum, "
                    + "measured first. Recovery mode: the live traffic (default: 5000).")
    Double rate;

    @Option(names = "--warmup", defaultValue = "60s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Latency and spike modes: live traffic before measuring, before the spike "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--duration", defaultValue = "3min", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Latency mode: measured live traffic after the warm-up; spike mode: the spike's length "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--slices", defaultValue = "24", paramLabel = "N",
            description = "Chaos mode: slices of the day written into the running job, at most one fault after "
                    + "each (default: ${DEFAULT-VALUE}).")
    int slices;

    @Option(names = "--failures", defaultValue = "12", paramLabel = "N",
            description = "Chaos mode: TaskManagers lost at random points, besides a job restart from checkpoint, "
                    + "two rescales and a broker restart (default: ${DEFAULT-VALUE}).")
    int failures;

    @Spec
    CommandSpec spec;

    @Option(names = "--drain-timeout", defaultValue = "15min", converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "Spike mode: how long after the spike the lag may take to come back to zero "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--visitors", defaultValue = "1000000", paramLabel = "N",
            description = "Recovery mode: tracked visitors put into the job's state before the kills "
                    + "(default: ${DEFAULT-VALUE}).")
    long visitors;

    @Option(names = "--kills", defaultValue = "3", paramLabel = "N",
            description = "Recovery mode: TaskManagers killed one after another, each timed (default: ${DEFAULT-VALUE}).")
    int kills;

    /** Recovery mode's live traffic when --rate is not given: moderate, a fifth of what the job sustains. */
    static final double RECOVERY_RATE = 5000;

    @Option(names = "--events", defaultValue = "3000000", paramLabel = "N",
            description = "Generated events loaded once before timing (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--partitions", defaultValue = "2", paramLabel = "N",
            description = "Partitions of each input topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--parallelism", defaultValue = "2", paramLabel = "N",
            description = "Parallelism of every variant (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--rounds", defaultValue = "2", paramLabel = "N",
            description = "Runs of each variant, alternating (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--variants", split = ",", paramLabel = "LIST",
            defaultValue = "raw,parse,keyed,pulse,sql-tuned,sql-plain",
            description = "Variants to run, in this order each round (default: ${DEFAULT-VALUE}).")
    List<String> variants;

    @Option(names = "--sessions-per-minute", defaultValue = "1000", paramLabel = "N",
            description = "Generator load: sessions per minute of event time; sets the span the events cover "
                    + "and the number of users (default: ${DEFAULT-VALUE}; chaos mode: 120, about 1.4 M events a day).")
    double sessionsPerMinute;

    @Option(names = "--seed", defaultValue = "1", description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--heap", defaultValue = "2g", paramLabel = "SIZE",
            description = "Heap of each run's JVM (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--managed-memory", defaultValue = "512m", paramLabel = "SIZE",
            description = "Flink managed memory of each run, RocksDB's cache and buffers (default: ${DEFAULT-VALUE}).")
    String managedMemory;

    @Option(names = "--no-profile", description = "No JFR recording of the metrics job's runs.")
    boolean noProfile;

    @Option(names = "--no-state", description = "Skip the state measurement (one more untimed run).")
    boolean noState;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Use this Kafka cluster instead of starting a local broker (topics pulse-bench.*).")
    String bootstrapServers;

    @Option(names = "--replication", defaultValue = "1",
            description = "Replication factor of the benchmark topics (default: ${DEFAULT-VALUE}).")
    short replication;

    @Option(names = "--work-dir", defaultValue = "pulse-data/bench", paramLabel = "DIR",
            description = "Folder for the broker, runs, logs and recordings; emptied first (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--report", defaultValue = "BENCHMARKS.md", paramLabel = "FILE",
            description = "Markdown file whose results section is replaced (created if missing; default: ${DEFAULT-VALUE}).")
    Path report;

    @Option(names = "--no-report", description = "Print the results only.")
    boolean noReport;

    private static final String MARKER = ".pulse-bench";
    private String commit;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        List<Variant> chosen = validate();
        commit = Machine.commit();
        Path work = workDir.toAbsolutePath().normalize();
        emptyWorkFolder(work);
        System.setProperty("pulse.log.file", work.resolve("bench.log").toString());

        LocalKafkaBroker broker = null;
        try {
            String servers = bootstrapServers;
            if (servers == null) {
                broker = LocalKafkaBroker.start(work.resolve("kafka"), 0);
                servers = broker.bootstrapServers();
            }
            out.println("pulse bench: Kafka at " + servers + (broker == null ? "" : " (local broker)")
                    + ", work folder " + work);
            try (BenchTopics topics = new BenchTopics(servers, kafkaProperties(), replication)) {
                switch (mode) {
                    case throughput -> throughput(servers, topics, chosen, work);
                    case latency -> latency(servers, topics, work);
                    case chaos -> {
                        return chaos(broker, topics, work);
                    }
                    case spike -> spike(servers, topics, work);
                    case recovery -> recovery(servers, topics, work);
                }
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
        return 0;
    }

    private void throughput(String servers, BenchTopics topics, List<Variant> chosen, Path work) throws Exception {
        BenchInput.Loaded input = loadInput(servers, topics);
        ThroughputBench.Plan plan = new ThroughputBench.Plan(rounds, chosen, parallelism, heap, managedMemory,
                !noProfile, !noState, config.configuration().toMap(), work);
        ThroughputBench.Outcome outcome = new ThroughputBench(plan, servers, topics, out).run(input.total());
        BenchReport report = new BenchReport(this, plan, input, outcome, commit);
        out.println();
        out.println(report.markdown());
        if (!noReport) {
            report.writeTo(this.report);
            out.println("pulse bench: results written to " + this.report.toAbsolutePath().normalize());
        }
    }

    private void latency(String servers, BenchTopics topics, Path work) throws Exception {
        double eventsPerSecond;
        String rateSource;
        if (rate != null) {
            eventsPerSecond = rate;
            rateSource = "--rate";
        } else {
            Maximum maximum = measureMaximum(servers, topics, work);
            eventsPerSecond = maximum.eventsPerSecond() / 2;
            rateSource = "half of " + maximum;
        }
        LatencyBench.Plan plan = new LatencyBench.Plan(eventsPerSecond, warmup, duration, heap, managedMemory,
                parallelism, work, config.configuration().toMap());
        LatencyBench.Outcome outcome = new LatencyBench(plan, servers, topics, out).run();
        LatencyReport report = new LatencyReport(commandLine(), plan, outcome, rateSource, commit);
        out.println();
        out.println(report.markdown());
        if (!noReport) {
            report.writeTo(this.report);
            out.println("pulse bench: results written to " + this.report.toAbsolutePath().normalize());
        }
    }

    /** Returns the exit code: 1 when the chaos run's results differ from the failure-free run's. */
    private int chaos(LocalKafkaBroker broker, BenchTopics topics, Path work) throws Exception {
        ChaosBench.Plan plan = new ChaosBench.Plan(seed, chaosSessionsPerMinute(), slices, failures, managedMemory,
                config.configuration().toMap(), work);
        ChaosBench.Outcome outcome = new ChaosBench(plan, broker, topics, kafkaProperties(), out).run();
        publish(ChaosReport.now(commandLine(), plan, outcome, commit).markdown(), ChaosReport.BEGIN,
                ChaosReport.END);
        for (String example : outcome.finals().examples()) out.println("  final value differs: " + example);
        for (String example : outcome.alerts().examples()) out.println("  alert differs: " + example);
        for (String example : outcome.chaosRunning().examples()) out.println("  not converged: " + example);
        out.println("pulse bench: chaos run " + (outcome.identical() ? "identical to" : "DIFFERS from")
                + " the failure-free run");
        return outcome.identical() ? 0 : 1;
    }

    /** A day at the shared default of 1000 sessions/min would be 12 M events: the chaos mode's own default. */
    private double chaosSessionsPerMinute() {
        return spec.commandLine().getParseResult().hasMatchedOption("--sessions-per-minute")
                ? sessionsPerMinute : ChaosBench.DEFAULT_SESSIONS_PER_MINUTE;
    }

    private void spike(String servers, BenchTopics topics, Path work) throws Exception {
        double sustainable;
        String rateSource;
        if (rate != null) {
            sustainable = rate;
            rateSource = "--rate";
        } else {
            Maximum maximum = measureMaximum(servers, topics, work);
            sustainable = maximum.eventsPerSecond();
            rateSource = maximum.toString();
        }
        SpikeBench.Plan plan = new SpikeBench.Plan(sustainable, warmup, duration, drainTimeout, partitions,
                parallelism, managedMemory, work, config.configuration().toMap());
        SpikeBench.Outcome outcome = new SpikeBench(plan, servers, topics, out).run();
        publish(new SpikeReport(commandLine(), plan, outcome, rateSource, commit).markdown(), SpikeReport.BEGIN,
                SpikeReport.END);
    }

    private void recovery(String servers, BenchTopics topics, Path work) throws Exception {
        RecoveryBench.Plan plan = new RecoveryBench.Plan(visitors, rate != null ? rate : RECOVERY_RATE, kills,
                partitions, parallelism, managedMemory, work, config.configuration().toMap());
        RecoveryBench.Outcome outcome = new RecoveryBench(plan, servers, topics, out).run();
        publish(new RecoveryReport(commandLine(), plan, outcome, commit).markdown(), RecoveryReport.BEGIN,
                RecoveryReport.END);
    }

    /** Prints a mode's report and, unless --no-report, writes it between its markers in the report file. */
    private void publish(String markdown, String begin, String end) throws IOException {
        out.println();
        out.println(markdown);
        if (!noReport) {
            BenchReport.replaceSection(this.report, begin, end, markdown);
            out.println("pulse bench: results written to " + this.report.toAbsolutePath().normalize());
        }
    }

    /** The metrics job's maximum rate over pre-loaded input (one throughput run), and how it was measured. */
    record Maximum(double eventsPerSecond, long events) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "the metrics job's %,.0f events/s measured just before over %,d "
                    + "events", eventsPerSecond, events);
        }
    }

    private Maximum measureMaximum(String servers, BenchTopics topics, Path work) throws Exception {
        BenchInput.Loaded input = loadInput(servers, topics);
        ThroughputBench.Plan plan = new ThroughputBench.Plan(1, List.of(Variant.PULSE), parallelism, heap,
                managedMemory, false, false, config.configuration().toMap(), work);
        return new Maximum(new ThroughputBench(plan, servers, topics, out).run(input.total()).runs().get(0)
                .eventsPerSecond(), input.total());
    }

    private BenchInput.Loaded loadInput(String servers, BenchTopics topics) throws Exception {
        topics.recreate(BenchInput.topics().values(), partitions, true);
        GeneratorSettings generator = BenchInput.generator(seed, sessionsPerMinute);
        out.printf(Locale.ROOT, "  input      generating %,d events (%s)%n", events, generator);
        BenchInput.Loaded input = BenchInput.load(servers, kafkaProperties(), generator, events);
        out.printf(Locale.ROOT, "  input      loaded in %.1f s: %s%n", input.took().toMillis() / 1000.0,
                describe(input));
        return input;
    }

    /** Kafka client settings given as pulse.kafka.properties.* (security for --bootstrap-servers). */
    private Map<String, String> kafkaProperties() {
        return PulseSettings.from(config.configuration()).kafkaProperties;
    }

    /** The command as given, for the report (so anyone can repeat it). */
    String commandLine() {
        List<String> parts = new ArrayList<>(List.of("./pulse", "bench"));
        if (mode == Mode.chaos) {
            parts.add("--mode chaos --seed " + seed);
            if (slices != 24) parts.add("--slices " + slices);
            if (failures != 12) parts.add("--failures " + failures);
            if (chaosSessionsPerMinute() != ChaosBench.DEFAULT_SESSIONS_PER_MINUTE) {
                parts.add("--sessions-per-minute " + sessionsPerMinute);
            }
            if (!managedMemory.equals("512m")) parts.add("--managed-memory " + managedMemory);
            return String.join(" ", parts);
        }
        if (mode == Mode.latency) {
            parts.add("--mode latency");
            if (rate != null) parts.add("--rate " + rate);
            parts.add("--warmup " + warmup.toSeconds() + "s --duration " + duration.toSeconds() + "s");
        }
        if (mode == Mode.spike) {
            parts.add("--mode spike");
            if (rate != null) parts.add("--rate " + rate);
            parts.add("--warmup " + warmup.toSeconds() + "s --duration " + duration.toSeconds() + "s");
        }
        if (mode == Mode.recovery) {
            parts.add("--mode recovery --visitors " + visitors + " --kills " + kills);
            if (rate != null) parts.add("--rate " + rate);
        }
        if (mode == Mode.throughput || rate == null && mode != Mode.recovery) {
            parts.add("--events " + events); // the pre-loaded input of the measurement
        }
        if (partitions != 2) parts.add("--partitions " + partitions);
        if (parallelism != 2) parts.add("--parallelism " + parallelism);
        if (rounds != 2) parts.add("--rounds " + rounds);
        if (sessionsPerMinute != 1000) parts.add("--sessions-per-minute " + sessionsPerMinute);
        if (seed != 1) parts.add("--seed " + seed);
        return String.join(" ", parts);
    }

    long seed() {
        return seed;
    }

    int partitions() {
        return partitions;
    }

    private List<Variant> validate() {
        List<String> errors = new ArrayList<>();
        if (events < 1) errors.add("--events must be at least 1");
        if (partitions < 1) errors.add("--partitions must be at least 1");
        if (parallelism < 1) errors.add("--parallelism must be at least 1");
        if (rounds < 1) errors.add("--rounds must be at least 1");
        if (!(sessionsPerMinute > 0)) errors.add("--sessions-per-minute must be positive");
        if (rate != null && !(rate > 0)) errors.add("--rate must be positive");
        if (warmup.isNegative()) errors.add("--warmup must not be negative");
        if (failures < 1) errors.add("--failures must be at least 1");
        if (failures + 4 > slices) errors.add("--slices must be at least --failures + 4 (one fault per slice)");
        if (mode == Mode.chaos && bootstrapServers != null) {
            errors.add("--mode chaos restarts its own local broker: --bootstrap-servers cannot be used");
        }
        if (duration.compareTo(Duration.ofMinutes(1)) < 0) errors.add("--duration must be at least 1 min (whole windows)");
        if (drainTimeout.isNegative() || drainTimeout.isZero()) errors.add("--drain-timeout must be positive");
        if (visitors < 1) errors.add("--visitors must be at least 1");
        if (kills < 1) errors.add("--kills must be at least 1");
        List<Variant> chosen = new ArrayList<>();
        for (String code : variants) {
            try {
                chosen.add(Variant.of(code.trim()));
            } catch (IllegalArgumentException e) {
                errors.add("--variants: " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return chosen;
    }

    private static String describe(BenchInput.Loaded input) {
        StringBuilder b = new StringBuilder();
        for (Stream s : Stream.values()) {
            b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %,d", s.code(),
                    input.events().get(s)));
        }
        return b.append(String.format(Locale.ROOT, " (%.0f MB of JSON)", input.bytes() / 1e6)).toString();
    }

    /** Empties the work folder, but only one this command made (it carries {@value #MARKER}) or an empty one. */
    private static void emptyWorkFolder(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            boolean empty;
            try (var entries = Files.list(folder)) {
                empty = entries.findAny().isEmpty();
            }
            if (!empty && !Files.exists(folder.resolve(MARKER))) {
                throw new IllegalArgumentException("--work-dir " + folder + " is not empty and was not made by "
                        + "pulse bench; choose an empty or new folder");
            }
            try (var paths = Files.walk(folder)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(MARKER), "made by pulse bench; emptied at its next run\n");
    }
}
