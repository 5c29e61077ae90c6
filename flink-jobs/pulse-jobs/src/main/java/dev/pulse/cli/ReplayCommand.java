package dev.pulse.cli;

import dev.pulse.config.PulseOptions;
import dev.pulse.config.PulseSettings;
import dev.pulse.kafka.KafkaInputs;
import dev.pulse.replay.FinalValues;
import dev.pulse.replay.ReplayJob;
import dev.pulse.replay.ReplayRecord;
import dev.pulse.time.BusinessTime;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pulse replay}: the metrics workflow over JSON-lines files or a time range of the Kafka topics, writing
 * every final metric value as JSON lines (the last value of each window, ordered by window) to a file or stdout.
 * This is how a user backfills and how results are reconciled with a batch recomputation.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Compute final metric values over bounded input (files or a Kafka time range).")
public class ReplayCommand implements Callable<Integer> {

    static class Input {
        @ArgGroup(exclusive = false, heading = "Files (JSON lines, one per stream):%n")
        FileInput files;

        @ArgGroup(exclusive = false, heading = "Kafka topics (records whose Kafka timestamp is in range):%n")
        KafkaInput kafka;
    }

    static class FileInput {
        @Option(names = "--clicks", paramLabel = "FILE", description = "Click events.")
        Path clicks;
        @Option(names = "--orders", paramLabel = "FILE", description = "Order events.")
        Path orders;
        @Option(names = "--ads", paramLabel = "FILE", description = "Ad events.")
        Path ads;
    }

    static class KafkaInput {
        @Option(names = "--from-kafka", required = true, description = "Read the configured input topics.")
        boolean fromKafka;
        @Option(names = "--from", paramLabel = "INSTANT", description = "Start (ISO instant); default: earliest.")
        Instant from;
        @Option(names = "--to", paramLabel = "INSTANT", description = "End, exclusive (ISO instant); default: now.")
        Instant to;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "-",
            description = "Where the final values go, as JSON lines; - for stdout (default).")
    String out;

    @Option(names = "--dead-letters", paramLabel = "FILE",
            description = "Also write the dead letters (invalid and too-late events) to this file.")
    Path deadLettersOut;

    @Option(names = "--alerts", paramLabel = "FILE",
            description = "Also write the risk alerts to this file, ordered by when they fired.")
    Path alertsOut;

    @Option(names = "--execution", defaultValue = "batch",
            description = "batch (default: exact values whatever the order of the input) or streaming "
                    + "(as the live job: watermarks, lateness, too-late events dead-lettered).")
    String execution;

    @Option(names = "--quiet", description = "No progress display.")
    boolean quiet;

    @Mixin
    ConfigMixin config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!execution.equals("batch") && !execution.equals("streaming")) {
            throw new IllegalArgumentException("--execution must be batch or streaming, was " + execution);
        }
        // a replay has no open windows to update: only final values
        config.defaultTo(PulseOptions.UPDATE_INTERVAL.key(), "0 s");
        PulseSettings settings = config.settings();
        StreamExecutionEnvironment env = ReplayJob.environment(settings, execution.equals("batch"));
        DataStream<ReplayRecord> records;
        if (input.files != null) {
            FileInput f = input.files;
            if (f.clicks == null && f.orders == null && f.ads == null) {
                throw new IllegalArgumentException("give at least one of --clicks, --orders, --ads");
            }
            for (Path p : new Path[] {f.clicks, f.orders, f.ads}) {
                if (p != null && !Files.isReadable(p)) {
                    throw new IllegalArgumentException("cannot read " + p);
                }
            }
            records = ReplayJob.fromFiles(env, new ReplayJob.Files(f.clicks, f.orders, f.ads), settings);
        } else {
            long from = input.kafka.from == null ? 0L : input.kafka.from.toEpochMilli();
            long to = (input.kafka.to == null ? Instant.now() : input.kafka.to).toEpochMilli();
            records = ReplayJob.fromKafka(env, KafkaInputs.Range.between(from, to), settings);
        }
        Progress progress = new Progress(quiet ? null : spec.commandLine().getErr(), new BusinessTime(settings.timeZone));
        FinalValues values = new FinalValues();
        FinalValues alerts = new FinalValues();
        try (Writer deadLetters = deadLettersOut == null ? Writer.nullWriter() : Files.newBufferedWriter(deadLettersOut);
             CloseableIterator<ReplayRecord> it = records.executeAndCollect("pulse-replay")) {
            while (it.hasNext()) {
                ReplayRecord r = it.next();
                if (ReplayRecord.METRIC.equals(r.kind)) {
                    values.add(r);
                    progress.value(r.windowStart);
                } else if (ReplayRecord.ALERT.equals(r.kind)) {
                    alerts.add(r);
                } else {
                    deadLetters.write(r.json);
                    deadLetters.write('\n');
                    progress.deadLetter();
                }
            }
        }
        try (Writer w = output()) {
            write(values, w);
        }
        if (alertsOut != null) {
            try (Writer w = Files.newBufferedWriter(alertsOut)) {
                write(alerts, w);
            }
        }
        progress.done(values.size());
        return 0;
    }

    private static void write(FinalValues records, Writer w) throws IOException {
        for (ReplayRecord r : records.ordered()) {
            w.write(r.json);
            w.write('\n');
        }
    }

    private Writer output() throws IOException {
        if (out.equals("-")) {
            // do not close stdout with the writer
            return new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            };
        }
        return Files.newBufferedWriter(Path.of(out));
    }

    /** Progress on stderr: one line redrawn twice a second on a terminal, a line every 5 s otherwise. */
    static final class Progress {
        private final PrintWriter err;
        private final BusinessTime businessTime;
        private long values;
        private long deadLetters;
        private long latestWindow = Long.MIN_VALUE;
        private final boolean terminal = System.console() != null;
        private long lastDraw;

        Progress(PrintWriter err, BusinessTime businessTime) {
            this.err = err;
            this.businessTime = businessTime;
        }

        void value(long windowStart) {
            values++;
            latestWindow = Math.max(latestWindow, windowStart);
            draw(false);
        }

        void deadLetter() {
            deadLetters++;
            draw(false);
        }

        void done(int distinctValues) {
            draw(true);
            if (err != null) {
                err.printf("%sreplay done: %d final values written, %d dead letters%n", terminal ? "\n" : "",
                        distinctValues, deadLetters);
                err.flush();
            }
        }

        private void draw(boolean force) {
            long now = System.currentTimeMillis();
            if (err == null || (!force && now - lastDraw < (terminal ? 500 : 5_000))) {
                return;
            }
            lastDraw = now;
            err.printf(terminal ? "\rreplay: %d values, %d dead letters, windows up to %s   "
                            : "replay: %d values, %d dead letters, windows up to %s%n", values, deadLetters,
                    latestWindow == Long.MIN_VALUE ? "-" : businessTime.format(latestWindow));
            err.flush();
        }
    }
}
