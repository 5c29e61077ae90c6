package dev.pulse.generator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Small helpers shared by the generator tests. */
final class Generated {
    static final Instant START = Instant.parse("2026-11-10T16:00:00Z"); // midnight in Shanghai

    private Generated() {}

    static GeneratorSettings.Builder settings(long seed, Duration duration, double sessionsPerMinute) {
        return GeneratorSettings.builder().seed(seed).start(START).duration(duration)
                .sessionsPerMinute(sessionsPerMinute);
    }

    static List<GeneratedEvent> all(GeneratorSettings settings) {
        List<GeneratedEvent> out = new ArrayList<>();
        new TrafficGenerator(settings).forEachRemaining(out::add);
        return out;
    }

    static JsonNode json(GeneratedEvent e) {
        return TrafficKpis.read(e.json());
    }

    static boolean isExtraLine(GeneratedEvent e) {
        return e.label() != null && (e.label().equals(Labels.DUPLICATE) || e.label().startsWith("malformed:"));
    }
}
