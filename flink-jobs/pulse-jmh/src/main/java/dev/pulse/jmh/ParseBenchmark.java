package dev.pulse.jmh;

import dev.pulse.generator.GeneratedEvent;
import dev.pulse.generator.GeneratorSettings;
import dev.pulse.generator.TrafficGenerator;
import dev.pulse.ingestion.EventParser;
import dev.pulse.ingestion.Parsed;
import dev.pulse.model.Stream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parsing one input record of each stream, as the Kafka source hands it over (bytes), into a typed event: what
 * the source does for every record. The lines are the generator's, cycled so branch prediction and caches
 * see a realistic mix rather than one line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ParseBenchmark {
    private static final int LINES = 1024;

    @Param({"click", "order", "ad"})
    public String stream;

    private EventParser<?> parser;
    private byte[][] lines;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Stream s = Stream.valueOf(stream.toUpperCase());
        parser = EventParser.forStream(s, "CNY");
        String[] text = generatedLines(s, LINES);
        lines = new byte[text.length][];
        for (int i = 0; i < text.length; i++) {
            lines[i] = text[i].getBytes(StandardCharsets.UTF_8);
        }
        parser.parse(lines[0]); // loads the schema outside the measurement
    }

    @Benchmark
    public Parsed<?> parseOneLine() {
        byte[] line = lines[next];
        next = (next + 1) & (LINES - 1);
        return parser.parse(line);
    }

    static String[] generatedLines(Stream stream, int count) {
        TrafficGenerator generator = new TrafficGenerator(GeneratorSettings.builder()
                .seed(7).start(Instant.parse("2026-11-10T16:00:00Z")).duration(Duration.ofDays(2))
                .sessionsPerMinute(2000).build());
        List<String> lines = new ArrayList<>();
        while (lines.size() < count && generator.hasNext()) {
            GeneratedEvent e = generator.next();
            if (e.stream() == stream) {
                lines.add(e.json());
            }
        }
        return lines.toArray(String[]::new);
    }
}
