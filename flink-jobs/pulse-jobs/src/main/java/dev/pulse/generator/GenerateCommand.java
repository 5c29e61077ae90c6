package dev.pulse.generator;

import dev.pulse.cli.ConfigMixin;
import dev.pulse.config.PulseSettings;
import dev.pulse.model.Stream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pulse generate}: realistic shop traffic (clicks, orders, ads) into Kafka or JSON-lines files, with an
 * optional promotion spike, injected faults (late, out-of-order, duplicate, malformed lines) and labelled fraud
 * incidents. Options: {@code --to kafka|files}, {@code --out DIR}, {@code --seed}, {@code --start ISO|now},
 * {@code --duration}, {@code --sessions-per-minute}, {@code --promotion-at/-minutes/-factor}, the fault rates,
 * {@code --fraud[=PER_HOUR]}, pacing ({@code --realtime}, {@code --rate N}, {@code --fast}; default realtime
 * from "now", else fast), {@code --labels-topic}, and the shared {@code --config}/{@code -D} for Kafka settings.
 * Prints one summary line per stream at the end (counts only).
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate shop traffic (click, order and ad events) into Kafka or JSON-lines files.")
public final class GenerateCommand implements Callable<Integer> {

    enum Target { kafka, files }

    @Mixin
    ConfigMixin config;

    @Spec
    CommandSpec spec;

    @Option(names = "--to", defaultValue = "kafka", paramLabel = "kafka|files",
            description = "Destination: Kafka topics (pulse.topics.*) or files in --out. Default: ${DEFAULT-VALUE}.")
    Target to;

    @Option(names = "--out", defaultValue = "pulse-data/generated", paramLabel = "DIR",
            description = "Directory for clicks.jsonl, orders.jsonl, ads.jsonl and labels.jsonl (--to files). "
                    + "Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--labels-topic", paramLabel = "TOPIC",
            description = "Kafka topic for the labels of injected lines (--to kafka); none by default.")
    String labelsTopic;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--start", defaultValue = "now", paramLabel = "ISO|now",
            description = "First event time, e.g. 2026-11-11T00:00:00+08:00, or now. Default: ${DEFAULT-VALUE}.")
    String start;

    @Option(names = "--duration", paramLabel = "DURATION",
            description = "Event-time span, e.g. PT30M; endless if not given (not with --fast).")
    Duration duration;

    @Option(names = "--sessions-per-minute", defaultValue = "120",
            description = "Base load in sessions starting per minute. Default: ${DEFAULT-VALUE}.")
    double sessionsPerMinute;

    @Option(names = "--promotion-at", paramLabel = "MINUTE",
            description = "Minute (from the start) at which a promotion spike begins; none if not given.")
    Integer promotionAt;

    @Option(names = "--promotion-minutes", defaultValue = "10",
            description = "Length of the promotion spike in minutes. Default: ${DEFAULT-VALUE}.")
    int promotionMinutes;

    @Option(names = "--promotion-factor", defaultValue = "20",
            description = "Load multiplier during the promotion (10-50 is typical). Default: ${DEFAULT-VALUE}.")
    double promotionFactor;

    @Option(names = "--late-rate", defaultValue = "0", description = "Share of events delivered late but "
            + "within the allowed lateness (pulse.lateness.allowed). Default: ${DEFAULT-VALUE}.")
    double lateRate;

    @Option(names = "--very-late-rate", defaultValue = "0",
            description = "Share of events delivered 1-3 hours late. Default: ${DEFAULT-VALUE}.")
    double veryLateRate;

    @Option(names = "--out-of-order-rate", defaultValue = "0", description = "Share of events delivered a few "
            + "seconds late, within pulse.watermark.out-of-orderness. Default: ${DEFAULT-VALUE}.")
    double outOfOrderRate;

    @Option(names = "--duplicate-rate", defaultValue = "0",
            description = "Share of events sent twice. Default: ${DEFAULT-VALUE}.")
    double duplicateRate;

    @Option(names = "--malformed-rate", defaultValue = "0",
            description = "Share of events followed by a broken line. Default: ${DEFAULT-VALUE}.")
    double malformedRate;

    @Option(names = "--fraud", arity = "0..1", fallbackValue = "12", defaultValue = "0", paramLabel = "PER_HOUR",
            description = "Stage labelled fraud incidents, PER_HOUR of event time (12 if no value). Default: none.")
    double fraudPerHour;

    @Option(names = "--campaigns", defaultValue = "6", paramLabel = "N",
            description = "Ad campaigns: the shop's 6, or up to 100000 with a long tail of small ones. "
                    + "Default: ${DEFAULT-VALUE}.")
    int campaigns;

    @ArgGroup(exclusive = true)
    PacingChoice pacing;

    static final class PacingChoice {
        @Option(names = "--realtime", description = "Write each event when the wall clock reaches its time.")
        boolean realtime;

        @Option(names = "--rate", paramLabel = "N", description = "At most N events per second.")
        Double rate;

        @Option(names = "--fast", description = "As fast as possible (needs --duration).")
        boolean fast;
    }

    @Override
    public Integer call() throws Exception {
        GeneratorSettings settings = settings();
        PrintWriter stdout = spec.commandLine().getOut();
        PulseSettings pulse = config.settings();
        GeneratorStats stats = new GeneratorStats();
        String target = to == Target.files ? out.toString() : "Kafka at " + pulse.bootstrapServers;
        stdout.println("pulse generate: " + settings + " -> " + target);
        stdout.flush();
        // Ctrl-C stops the run; the hook waits until the writer is closed and the summary printed
        CountDownLatch finished = new CountDownLatch(1);
        try {
            try (EventWriter writer = writer(pulse)) {
                GeneratorRunner runner = new GeneratorRunner(settings, writer, stats);
                Thread hook = new Thread(() -> {
                    runner.stop();
                    awaitQuietly(finished);
                }, "pulse-generate-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    runner.run();
                } finally {
                    removeUnlessShuttingDown(hook);
                }
            }
            for (Stream s : Stream.values()) {
                stdout.println(stats.summary(s));
            }
            stdout.flush();
        } finally {
            finished.countDown();
        }
        return 0;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeUnlessShuttingDown(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting (Ctrl-C): the hook stays and waits for the summary
        }
    }

    GeneratorSettings settings() {
        Instant startTime = parseStart();
        GeneratorSettings.Builder b = GeneratorSettings.builder()
                .seed(seed)
                .start(startTime)
                .duration(duration)
                .sessionsPerMinute(sessionsPerMinute)
                .lateRate(lateRate)
                .veryLateRate(veryLateRate)
                .outOfOrderRate(outOfOrderRate)
                .duplicateRate(duplicateRate)
                .malformedRate(malformedRate)
                .fraudIncidentsPerHour(fraudPerHour)
                .campaigns(campaigns)
                .pacing(pacing(startTime));
        try {
            PulseSettings pulse = config.settings();
            b.outOfOrderness(pulse.outOfOrderness).allowedLateness(pulse.allowedLateness);
            if (promotionAt != null) {
                b.promotion(new Promotion(Duration.ofMinutes(promotionAt), Duration.ofMinutes(promotionMinutes),
                        promotionFactor));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private Instant parseStart() {
        if ("now".equalsIgnoreCase(start)) {
            return null;
        }
        try {
            return OffsetDateTime.parse(start).toInstant();
        } catch (DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(),
                    "--start: '" + start + "' is neither now nor an ISO time with offset (2026-11-11T00:00:00+08:00)");
        }
    }

    private Pacing pacing(Instant startTime) {
        if (pacing == null) {
            // from "now" the natural pace is the clock's; a historical span is wanted as a file, fast
            return startTime == null ? Pacing.realtime() : Pacing.fast();
        }
        if (pacing.rate != null) {
            return Pacing.rate(pacing.rate);
        }
        return pacing.fast ? Pacing.fast() : Pacing.realtime();
    }

    private EventWriter writer(PulseSettings pulse) {
        if (to == Target.files) {
            return new JsonLinesEventWriter(out);
        }
        return new KafkaEventWriter(pulse.bootstrapServers, pulse.kafkaProperties,
                Map.of(Stream.CLICK, pulse.clicksTopic, Stream.ORDER, pulse.ordersTopic, Stream.AD, pulse.adsTopic),
                labelsTopic);
    }
}
