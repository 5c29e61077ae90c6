package dev.pulse.model;

import dev.pulse.generator.GeneratedEvent;
import dev.pulse.generator.GeneratorSettings;
import dev.pulse.generator.Pacing;
import dev.pulse.generator.TrafficGenerator;
import dev.pulse.ingestion.EventParser;
import dev.pulse.ingestion.Parsed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Events the serializer tests round-trip: the generator's, parsed as the source parses them. */
final class SerializerTestData {
    private SerializerTestData() {}

    @SuppressWarnings("unchecked")
    static <T> List<T> generated(Stream stream, int count) {
        GeneratorSettings settings = GeneratorSettings.builder().seed(11).start(Instant.parse("2026-11-11T00:00:00Z"))
                .duration(Duration.ofMinutes(20)).sessionsPerMinute(50).pacing(Pacing.fast()).build();
        EventParser<Object> parser = EventParser.forStream(stream, "CNY");
        List<T> events = new ArrayList<>();
        for (TrafficGenerator it = new TrafficGenerator(settings); it.hasNext() && events.size() < count; ) {
            GeneratedEvent e = it.next();
            if (e.stream() == stream) {
                Parsed<Object> parsed = parser.parse(e.json());
                events.add((T) parsed.event);
            }
        }
        return events;
    }
}
