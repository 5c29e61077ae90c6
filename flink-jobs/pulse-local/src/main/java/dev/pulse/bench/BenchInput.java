package dev.pulse.bench;

import dev.pulse.generator.GeneratorSettings;
import dev.pulse.generator.KafkaEventWriter;
import dev.pulse.generator.TrafficGenerator;
import dev.pulse.model.Stream;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Loads the benchmark's input once, before anything is timed: the project's generator at its default traffic
 * mix (no injected faults), a fixed start and seed so every run of the benchmark reads the same events, cut
 * after exactly the requested number of events.
 */
final class BenchInput {
    /** A sales day, so a long run crosses business days as real traffic does. */
    static final Instant START = Instant.parse("2026-11-10T16:00:00Z");

    /** How many events of each stream were written, and how long the load took. */
    record Loaded(Map<Stream, Long> events, long bytes, Duration took) {
        long total() {
            return events.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private BenchInput() {}

    static Map<Stream, String> topics() {
        Map<Stream, String> topics = new EnumMap<>(Stream.class);
        for (Stream s : Stream.values()) {
            topics.put(s, BenchTopics.input(s.code()));
        }
        return topics;
    }

    static GeneratorSettings generator(long seed, double sessionsPerMinute) {
        return GeneratorSettings.builder()
                .seed(seed)
                .start(START)
                // long enough for any event count: the load stops at the count
                .duration(Duration.ofDays(365))
                .sessionsPerMinute(sessionsPerMinute)
                .build();
    }

    static Loaded load(String bootstrapServers, GeneratorSettings settings, long events) throws Exception {
        long started = System.nanoTime();
        Map<Stream, Long> counts = new EnumMap<>(Stream.class);
        for (Stream s : Stream.values()) {
            counts.put(s, 0L);
        }
        long bytes = 0;
        TrafficGenerator generator = new TrafficGenerator(settings);
        try (KafkaEventWriter writer = new KafkaEventWriter(bootstrapServers, topics())) {
            for (long i = 0; i < events && generator.hasNext(); i++) {
                var e = generator.next();
                writer.write(e);
                counts.merge(e.stream(), 1L, Long::sum);
                bytes += e.json().length();
            }
        }
        return new Loaded(counts, bytes, Duration.ofNanos(System.nanoTime() - started));
    }
}
