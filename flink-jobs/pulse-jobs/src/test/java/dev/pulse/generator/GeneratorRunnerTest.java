package dev.pulse.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.model.Stream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Pacing with a clock that only moves when the runner sleeps: exact write times, no timed tests. */
@Timeout(60)
class GeneratorRunnerTest {

    /** A wall clock under the test's control: sleeping moves it, nothing else does. */
    static final class FakeClock implements PacingClock {
        Instant now;
        int sleeps;

        FakeClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant now() {
            return now;
        }

        @Override
        public void sleep(Duration d) {
            sleeps++;
            now = now.plus(d);
        }
    }

    /** Keeps what was written and when, by the fake clock. */
    static final class RecordingWriter implements EventWriter {
        final FakeClock clock;
        final List<GeneratedEvent> written = new ArrayList<>();
        final List<Instant> writtenAt = new ArrayList<>();
        final List<Integer> flushedAfter = new ArrayList<>();

        RecordingWriter(FakeClock clock) {
            this.clock = clock;
        }

        @Override
        public void write(GeneratedEvent e) {
            written.add(e);
            writtenAt.add(clock.now());
        }

        @Override
        public void flush() {
            flushedAfter.add(written.size());
        }

        @Override
        public void close() {}
    }

    private static GeneratorSettings.Builder fiveMinutes() {
        return Generated.settings(67, Duration.ofMinutes(5), 60).lateRate(0.02).outOfOrderRate(0.05)
                .duplicateRate(0.02);
    }

    @Test
    void realtimeWritesEachEventWhenTheClockReachesItsArrival() {
        GeneratorSettings settings = fiveMinutes().pacing(Pacing.realtime()).build();
        List<GeneratedEvent> expected = Generated.all(settings);
        FakeClock clock = new FakeClock(Generated.START.minusSeconds(3));
        RecordingWriter writer = new RecordingWriter(clock);

        new GeneratorRunner(settings, writer, new GeneratorStats(), clock).run();

        assertThat(writer.written).isEqualTo(expected);
        Instant clockBefore = Generated.START.minusSeconds(3);
        List<Integer> waitedBefore = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            Instant arrival = expected.get(i).arrivalTime();
            Instant due = arrival.isAfter(clockBefore) ? arrival : clockBefore;
            // never early, and not later than needed: the clock only moves by the pacer's sleeps
            assertThat(writer.writtenAt.get(i)).isEqualTo(due);
            if (arrival.isAfter(clockBefore)) {
                waitedBefore.add(i);
            }
            clockBefore = due;
        }
        // the output is flushed each time the runner starts waiting, and at the end
        List<Integer> flushes = new ArrayList<>(waitedBefore);
        flushes.add(expected.size());
        assertThat(writer.flushedAfter).isEqualTo(flushes);
    }

    @Test
    void ratePacingWritesAtMostNPerSecond() {
        GeneratorSettings settings = fiveMinutes().pacing(Pacing.rate(50)).build();
        Instant t0 = Instant.parse("2030-01-01T00:00:00Z");
        FakeClock clock = new FakeClock(t0);
        RecordingWriter writer = new RecordingWriter(clock);

        new GeneratorRunner(settings, writer, new GeneratorStats(), clock).run();

        assertThat(writer.written).hasSizeGreaterThan(1_000);
        for (int k = 0; k < writer.writtenAt.size(); k++) {
            assertThat(writer.writtenAt.get(k)).isEqualTo(t0.plusMillis(k * 20L));
        }
        // so any second [t, t + 1 s) holds at most 50 writes
        for (int k = 50; k < writer.writtenAt.size(); k++) {
            assertThat(Duration.between(writer.writtenAt.get(k - 50), writer.writtenAt.get(k)))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void fastPacingNeverWaits() {
        GeneratorSettings settings = fiveMinutes().pacing(Pacing.fast()).build();
        FakeClock clock = new FakeClock(Instant.parse("2030-01-01T00:00:00Z"));
        RecordingWriter writer = new RecordingWriter(clock);

        new GeneratorRunner(settings, writer, new GeneratorStats(), clock).run();

        assertThat(clock.sleeps).isZero();
        assertThat(writer.written).isEqualTo(Generated.all(settings));
        assertThat(writer.flushedAfter).containsExactly(writer.written.size());
    }

    @Test
    void statsCountWhatWasWrittenPerStreamAndLabel(@TempDir Path dir) throws Exception {
        GeneratorSettings settings = fiveMinutes().malformedRate(0.05).build();
        GeneratorStats stats = new GeneratorStats();
        try (JsonLinesEventWriter writer = new JsonLinesEventWriter(dir)) {
            new GeneratorRunner(settings, writer, stats).run();
        }

        List<GeneratedEvent> expected = Generated.all(settings);
        long total = 0;
        for (Stream s : Stream.values()) {
            long lines = Files.readAllLines(dir.resolve(JsonLinesEventWriter.fileName(s))).size();
            assertThat(stats.sent(s)).isEqualTo(lines);
            total += lines;
            for (String label : List.of("late", "out_of_order", "duplicate", "malformed:wrong_type")) {
                assertThat(stats.labelled(s, label)).as("%s %s", s, label)
                        .isEqualTo(expected.stream().filter(e -> e.stream() == s && label.equals(e.label())).count());
            }
        }
        assertThat(stats.total()).isEqualTo(total).isEqualTo(expected.size());
        // the click stream has hundreds of lines in five minutes, so at 5 % some are certainly malformed
        assertThat(stats.summary(Stream.CLICK)).matches("click: \\d+ sent \\((duplicate|late|malformed:[a-z_]+|"
                + "out_of_order) \\d+(, (duplicate|late|malformed:[a-z_]+|out_of_order) \\d+)*\\)");
    }

    @Test
    void stopEndsARunThatIsWaitingForTheClock() {
        // realtime from an hour ahead: the runner waits on the real clock until stopped
        GeneratorSettings settings = GeneratorSettings.builder().start(Instant.now().plus(Duration.ofHours(1)))
                .duration(null).pacing(Pacing.realtime()).build();
        GeneratorStats stats = new GeneratorStats();
        List<GeneratedEvent> written = new ArrayList<>();
        AtomicInteger flushes = new AtomicInteger();
        GeneratorRunner runner = new GeneratorRunner(settings, new EventWriter() {
            @Override
            public void write(GeneratedEvent e) {
                written.add(e);
            }

            @Override
            public void flush() {
                flushes.incrementAndGet();
            }

            @Override
            public void close() {}
        }, stats);
        Thread thread = new Thread(runner, "generator-under-test");
        thread.start();
        // the runner flushes once when it starts to wait for the first arrival
        await().atMost(Duration.ofSeconds(10)).until(() -> flushes.get() == 1);

        runner.stop();

        await().atMost(Duration.ofSeconds(5)).until(() -> !thread.isAlive());
        assertThat(written).isEmpty();
        assertThat(stats.total()).isZero();
        assertThat(flushes.get()).isEqualTo(2); // and once more on the way out
    }
}
