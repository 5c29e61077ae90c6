package dev.pulse.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.generator.GeneratedEvent;
import dev.pulse.generator.GeneratorSettings;
import dev.pulse.generator.Pacing;
import dev.pulse.generator.TrafficGenerator;
import dev.pulse.model.Stream;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The generator and the engine agree: each malformed line is rejected for the reason its label gives, no other. */
class GeneratedInputParseTest {

    @Test
    void theParserRejectsExactlyTheMalformedLinesForTheLabelledReason() {
        GeneratorSettings settings = GeneratorSettings.builder().seed(5).start(Instant.parse("2026-11-11T00:00:00Z"))
                .duration(Duration.ofMinutes(30)).sessionsPerMinute(200)
                .lateRate(0.02).veryLateRate(0.01).outOfOrderRate(0.05).duplicateRate(0.02).malformedRate(0.03)
                .fraudIncidentsPerHour(60).pacing(Pacing.fast()).build();
        Map<Stream, EventParser<Object>> parsers = new EnumMap<>(Stream.class);
        for (Stream s : Stream.values()) {
            parsers.put(s, EventParser.forStream(s, "CNY"));
        }
        Map<String, Integer> rejectedByReason = new TreeMap<>();
        int valid = 0;
        for (TrafficGenerator it = new TrafficGenerator(settings); it.hasNext(); ) {
            GeneratedEvent e = it.next();
            Parsed<Object> parsed = parsers.get(e.stream()).parse(e.json());
            if (e.label() != null && e.label().startsWith("malformed:")) {
                assertThat(parsed.deadLetter).as(e.json()).isNotNull();
                assertThat("malformed:" + parsed.deadLetter.reason.code()).as(e.json()).isEqualTo(e.label());
                rejectedByReason.merge(parsed.deadLetter.reason.code(), 1, Integer::sum);
            } else {
                assertThat(parsed.deadLetter).as(e.json()).isNull();
                valid++;
            }
        }
        assertThat(rejectedByReason.keySet()).containsExactly(
                "invalid_value", "malformed_json", "missing_field", "unknown_event_type", "wrong_type");
        assertThat(valid).isGreaterThan(10_000);
    }
}
