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

    /**
     * How many events of each stream were written, how long the load took, and each event's time and visitor
     * (key hash), from which the state measurement recomputes what the job should be tracking.
     */
    record Loaded(Map<Stream, Long> events, long bytes, Duration took, Map<Stream, long[]> eventTimes,
                  Map<Stream, long[]> visitors) {
        long total() {
            return events.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private BenchInput() {}

    /** A growable array of longs (millions of them, no boxing). */
    private static final class LongArray {
        private long[] values = new long[1024];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }

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

    static Loaded load(String bootstrapServers, Map<String, String> clientProperties, GeneratorSettings settings,
                       long events) throws Exception {
        long started = System.nanoTime();
        Map<Stream, Long> counts = new EnumMap<>(Stream.class);
        for (Stream s : Stream.values()) {
            counts.put(s, 0L);
        }
        long bytes = 0;
        Map<Stream, LongArray> times = new EnumMap<>(Stream.class);
        Map<Stream, LongArray> visitors = new EnumMap<>(Stream.class);
        for (Stream s : Stream.values()) {
            times.put(s, new LongArray());
            visitors.put(s, new LongArray());
        }
        TrafficGenerator generator = new TrafficGenerator(settings);
        try (KafkaEventWriter writer = new KafkaEventWriter(bootstrapServers, clientProperties, topics(), null)) {
            for (long i = 0; i < events && generator.hasNext(); i++) {
                var e = generator.next();
                writer.write(e);
                counts.merge(e.stream(), 1L, Long::sum);
                bytes += e.json().length();
                times.get(e.stream()).add(e.eventTime().toEpochMilli());
                visitors.get(e.stream()).add(e.key().hashCode() * 0x9E3779B97F4A7C15L + e.key().length());
            }
        }
        Map<Stream, long[]> eventTimes = new EnumMap<>(Stream.class);
        Map<Stream, long[]> visitorKeys = new EnumMap<>(Stream.class);
        times.forEach((s, a) -> eventTimes.put(s, a.toArray()));
        visitors.forEach((s, a) -> visitorKeys.put(s, a.toArray()));
        return new Loaded(counts, bytes, Duration.ofNanos(System.nanoTime() - started), eventTimes, visitorKeys);
    }
}
