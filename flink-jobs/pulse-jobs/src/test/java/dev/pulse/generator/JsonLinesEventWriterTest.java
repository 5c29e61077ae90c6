package dev.pulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.model.Stream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One JSON-lines file per stream in arrival order, and a labels file; a second run replaces the files. */
class JsonLinesEventWriterTest {

    @Test
    void writesEachStreamToItsFileInArrivalOrder(@TempDir Path dir) throws Exception {
        List<GeneratedEvent> events = Generated.all(Generated.settings(53, Duration.ofMinutes(10), 60)
                .duplicateRate(0.05).malformedRate(0.05).lateRate(0.05).build());

        try (JsonLinesEventWriter writer = new JsonLinesEventWriter(dir)) {
            for (GeneratedEvent e : events) {
                writer.write(e);
            }
        }

        assertThat(dir.resolve("clicks.jsonl")).exists();
        for (Stream s : Stream.values()) {
            List<String> expected = events.stream().filter(e -> e.stream() == s).map(GeneratedEvent::json).toList();
            assertThat(Files.readAllLines(dir.resolve(JsonLinesEventWriter.fileName(s)))).isEqualTo(expected);
        }
        List<String> labels = events.stream().filter(e -> e.label() != null)
                .map(e -> EventLabel.of(e).toJson()).toList();
        assertThat(labels).hasSizeGreaterThan(100);
        assertThat(Files.readAllLines(dir.resolve("labels.jsonl"))).isEqualTo(labels);
        GeneratedEvent firstLabelled = events.stream().filter(e -> e.label() != null).findFirst().orElseThrow();
        assertThat(EventLabel.of(firstLabelled).toJson())
                .matches("\\{\"event_id\":\"[a-z]-[0-9a-f]{16}\",\"stream\":\"(click|order|ad)\",\"label\":\"[a-z_:]+\"}");
    }

    @Test
    void aNewWriterReplacesEarlierFiles(@TempDir Path dir) throws Exception {
        List<GeneratedEvent> events = Generated.all(Generated.settings(59, Duration.ofMinutes(2), 60).build());
        try (JsonLinesEventWriter writer = new JsonLinesEventWriter(dir)) {
            for (GeneratedEvent e : events) {
                writer.write(e);
            }
        }
        try (JsonLinesEventWriter writer = new JsonLinesEventWriter(dir)) {
            writer.write(events.get(0));
        }

        long nonEmpty = 0;
        for (Stream s : Stream.values()) {
            List<String> lines = Files.readAllLines(dir.resolve(JsonLinesEventWriter.fileName(s)));
            assertThat(lines).isEqualTo(s == events.get(0).stream() ? List.of(events.get(0).json()) : List.of());
            nonEmpty += lines.size();
        }
        assertThat(nonEmpty).isEqualTo(1);
        assertThat(Files.readAllLines(dir.resolve("labels.jsonl"))).isEmpty();
    }
}
