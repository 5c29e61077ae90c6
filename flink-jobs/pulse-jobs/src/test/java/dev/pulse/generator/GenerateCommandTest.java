package dev.pulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.cli.PulseCli;
import dev.pulse.model.Stream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code pulse generate}: options map to settings, files match the library's output, the summary has no ids. */
@Timeout(60)
class GenerateCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = PulseCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void writesTheSameLinesAsTheLibraryAndSummarisesThem(@TempDir Path dir) throws Exception {
        int code = run("generate", "--to", "files", "--out", dir.toString(), "--seed", "5",
                "--start", "2026-11-11T00:00:00+08:00", "--duration", "PT10M", "--sessions-per-minute", "60",
                "--promotion-at", "4", "--promotion-minutes", "2", "--promotion-factor", "15",
                "--late-rate", "0.01", "--very-late-rate", "0.01", "--out-of-order-rate", "0.02",
                "--duplicate-rate", "0.01", "--malformed-rate", "0.01", "--fraud=30", "--fast");

        assertThat(code).as(err.toString()).isZero();
        GeneratorSettings same = GeneratorSettings.builder().seed(5).start(Instant.parse("2026-11-10T16:00:00Z"))
                .duration(Duration.ofMinutes(10)).sessionsPerMinute(60)
                .promotion(new Promotion(Duration.ofMinutes(4), Duration.ofMinutes(2), 15))
                .lateRate(0.01).veryLateRate(0.01).outOfOrderRate(0.02).duplicateRate(0.01).malformedRate(0.01)
                .fraudIncidentsPerHour(30).build();
        List<GeneratedEvent> expected = Generated.all(same);
        for (Stream s : Stream.values()) {
            String file = Files.readString(dir.resolve(JsonLinesEventWriter.fileName(s)));
            StringBuilder lines = new StringBuilder();
            expected.stream().filter(e -> e.stream() == s).forEach(e -> lines.append(e.json()).append('\n'));
            assertThat(file).isEqualTo(lines.toString());
            long labelled = expected.stream().filter(e -> e.stream() == s && e.label() != null).count();
            String summary = out.toString().lines().filter(l -> l.startsWith(s.code() + ": "))
                    .findFirst().orElseThrow();
            assertThat(summary).startsWith(s.code() + ": " + expected.stream().filter(e -> e.stream() == s).count()
                    + " sent (");
            assertThat(countsIn(summary) - expected.stream().filter(e -> e.stream() == s).count())
                    .isEqualTo(labelled);
        }
        assertThat(Files.readAllLines(dir.resolve("labels.jsonl")))
                .hasSize((int) expected.stream().filter(e -> e.label() != null).count());
        // ids of people, devices, orders and ips never appear in what the command prints
        assertThat(out.toString()).doesNotContainPattern("\\b(u|d|s|c|o|a|ord|imp)-[0-9a-f]{16}")
                .doesNotContainPattern("10\\.\\d+\\.");
    }

    @Test
    void pacingDefaultsToRealtimeFromNowAndFastForAFixedStart() {
        assertThat(parse().settings().pacing).isEqualTo(Pacing.realtime());
        assertThat(parse().settings().start).isNull();
        assertThat(parse("--start", "2026-11-11T00:00:00Z", "--duration", "PT1H").settings().pacing)
                .isEqualTo(Pacing.fast());
        assertThat(parse("--rate", "250").settings().pacing).isEqualTo(Pacing.rate(250));
        GeneratorSettings s = parse("-Dpulse.lateness.allowed=5 min", "-Dpulse.watermark.out-of-orderness=10 s")
                .settings();
        assertThat(s.allowedLateness).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.outOfOrderness).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.duration).isNull();
        assertThat(s.fraudIncidentsPerHour).isZero();
        assertThat(parse("--fraud").settings().fraudIncidentsPerHour).isEqualTo(12);
    }

    @Test
    void rejectsImpossibleCombinationsWithAReason() {
        assertThat(run("generate", "--to", "files", "--fast")).isEqualTo(2);
        assertThat(err.toString()).contains("fast pacing needs a duration");
        assertThat(run("generate", "--start", "yesterday")).isEqualTo(2);
        assertThat(err.toString()).contains("--start: 'yesterday'");
        assertThat(run("generate", "--late-rate", "1.5", "--duration", "PT1M")).isEqualTo(2);
        assertThat(err.toString()).contains("late rate must be between 0 and 1");
        assertThat(run("generate", "--fast", "--realtime")).isEqualTo(2);
    }

    private static GenerateCommand parse(String... args) {
        GenerateCommand command = new GenerateCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    /** Sum of the numbers in a summary line, e.g. 123 for "click: 120 sent (duplicate 2, late 1)". */
    private static long countsIn(String summary) {
        long sum = 0;
        for (String token : summary.substring(summary.indexOf(':') + 1).split("[^0-9]+")) {
            if (!token.isEmpty()) {
                sum += Long.parseLong(token);
            }
        }
        return sum;
    }
}
