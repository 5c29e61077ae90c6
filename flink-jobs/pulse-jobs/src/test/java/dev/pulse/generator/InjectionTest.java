package dev.pulse.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import dev.pulse.model.Stream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Injected lines come at their configured rates and each label tells the truth about its line. */
class InjectionTest {
    private static final double LATE = 0.02;
    private static final double VERY_LATE = 0.01;
    private static final double OUT_OF_ORDER = 0.03;
    private static final double DUPLICATE = 0.02;
    private static final double MALFORMED = 0.01;
    private static final Duration ALLOWED_LATENESS = Duration.ofMinutes(3);
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);

    private static List<GeneratedEvent> events;
    /** Lines that stand for an event of the traffic (on time or delayed), as opposed to extra copies. */
    private static long sourceLines;

    @BeforeAll
    static void generate() {
        events = Generated.all(Generated.settings(37, Duration.ofHours(1), 100)
                .lateRate(LATE).veryLateRate(VERY_LATE).outOfOrderRate(OUT_OF_ORDER)
                .duplicateRate(DUPLICATE).malformedRate(MALFORMED)
                .allowedLateness(ALLOWED_LATENESS).outOfOrderness(OUT_OF_ORDERNESS)
                .build());
        sourceLines = events.stream().filter(e -> !Generated.isExtraLine(e)).count();
    }

    @Test
    void eachInjectionComesAtItsRate() {
        assertThat(sourceLines).isGreaterThan(40_000);
        // at these sizes 15 % is more than 4 standard deviations of each binomial count
        assertThat(count("late")).isCloseTo(Math.round(sourceLines * LATE), withPercentage(15));
        assertThat(count("very_late")).isCloseTo(Math.round(sourceLines * VERY_LATE), withPercentage(15));
        assertThat(count("out_of_order")).isCloseTo(Math.round(sourceLines * OUT_OF_ORDER), withPercentage(15));
        assertThat(count("duplicate")).isCloseTo(Math.round(sourceLines * DUPLICATE), withPercentage(15));
        long malformed = events.stream().filter(e -> e.label() != null && e.label().startsWith("malformed:")).count();
        assertThat(malformed).isCloseTo(Math.round(sourceLines * MALFORMED), withPercentage(15));
    }

    @Test
    void lateLinesArriveAfterTheirMinuteClosedButWithinTheAllowedLateness() {
        for (GeneratedEvent e : labelled("late")) {
            Instant minuteEnd = e.eventTime().truncatedTo(ChronoUnit.MINUTES).plusSeconds(60);
            assertThat(e.arrivalTime()).as("%s", e)
                    .isAfterOrEqualTo(minuteEnd.plusSeconds(15))
                    .isBefore(minuteEnd.plus(ALLOWED_LATENESS).minusSeconds(15));
            assertThat(Duration.between(e.eventTime(), e.arrivalTime())).isGreaterThan(OUT_OF_ORDERNESS);
        }
    }

    @Test
    void veryLateLinesArriveHoursLate() {
        for (GeneratedEvent e : labelled("very_late")) {
            assertThat(Duration.between(e.eventTime(), e.arrivalTime()))
                    .isBetween(Duration.ofHours(1), Duration.ofHours(3));
        }
    }

    @Test
    void outOfOrderLinesStayWithinTheWatermarkBound() {
        for (GeneratedEvent e : labelled("out_of_order")) {
            assertThat(Duration.between(e.eventTime(), e.arrivalTime()))
                    .isBetween(Duration.ofMillis(500), OUT_OF_ORDERNESS.minusSeconds(1));
        }
        // and they really are out of order: a later event arrived before most of them
        long overtaken = 0;
        Instant newest = Instant.MIN;
        for (GeneratedEvent e : events) {
            if ("out_of_order".equals(e.label()) && e.eventTime().isBefore(newest)) {
                overtaken++;
            }
            if (e.eventTime().isAfter(newest)) {
                newest = e.eventTime();
            }
        }
        assertThat(overtaken).isGreaterThan(count("out_of_order") * 9 / 10);
    }

    @Test
    void aDuplicateRepeatsAnEarlierLineExactlyAndShortlyAfter() {
        Map<String, GeneratedEvent> firstById = new HashMap<>();
        for (GeneratedEvent e : events) {
            if (e.label() != null && e.label().startsWith("malformed:")) {
                continue;
            }
            String id = e.stream().code() + "/" + e.eventId();
            GeneratedEvent first = firstById.computeIfAbsent(id, x -> e);
            if ("duplicate".equals(e.label())) {
                assertThat(first).as("original of %s", e).isNotSameAs(e);
                assertThat(e.json()).isEqualTo(first.json());
                assertThat(e.key()).isEqualTo(first.key());
                assertThat(Duration.between(first.arrivalTime(), e.arrivalTime()))
                        .isBetween(Duration.ofSeconds(1), Duration.ofMinutes(2));
            } else {
                assertThat(first).as("only duplicates repeat an id: %s", e).isSameAs(e);
            }
        }
    }

    @Test
    void malformedLinesCarryFreshIdsAndUnlabelledLinesArriveOnTime() {
        Set<String> ids = new HashSet<>();
        for (GeneratedEvent e : events) {
            if (!"duplicate".equals(e.label())) {
                assertThat(ids.add(e.eventId())).as("fresh id for %s", e).isTrue();
            }
            if (e.label() == null) {
                assertThat(e.arrivalTime()).isEqualTo(e.eventTime());
            }
        }
    }

    @Test
    void theLabelsOutputHoldsExactlyTheLabelledLines(@TempDir Path dir) throws Exception {
        try (JsonLinesEventWriter writer = new JsonLinesEventWriter(dir)) {
            for (GeneratedEvent e : events) {
                writer.write(e);
            }
        }
        List<String> labels = Files.readAllLines(dir.resolve("labels.jsonl"));
        List<String> expected = events.stream().filter(e -> e.label() != null)
                .map(e -> "{\"event_id\":\"" + e.eventId() + "\",\"stream\":\"" + e.stream().code()
                        + "\",\"label\":\"" + e.label() + "\"}")
                .toList();
        assertThat(labels).isEqualTo(expected);
        // labels never leak into the events themselves
        for (Stream s : Stream.values()) {
            assertThat(Files.readString(dir.resolve(JsonLinesEventWriter.fileName(s))))
                    .doesNotContain("\"label\"").doesNotContain("duplicate").doesNotContain("malformed");
        }
    }

    private static List<GeneratedEvent> labelled(String label) {
        List<GeneratedEvent> out = events.stream().filter(e -> label.equals(e.label())).toList();
        assertThat(out).hasSizeGreaterThan(200);
        return out;
    }

    private static long count(String label) {
        return events.stream().filter(e -> label.equals(e.label())).count();
    }
}
