package dev.pulse.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Defaults, the demo profile and validation of the settings. */
class GeneratorSettingsTest {

    @Test
    void libraryDefaultsInjectNothingAndScaleTheUserBaseToTheLoad() {
        GeneratorSettings s = GeneratorSettings.builder().build();

        assertThat(s.lateRate + s.veryLateRate + s.outOfOrderRate + s.duplicateRate + s.malformedRate
                + s.fraudIncidentsPerHour).isZero();
        assertThat(s.promotion).isNull();
        assertThat(s.pacing).isEqualTo(Pacing.fast());
        assertThat(s.duration).isEqualTo(Duration.ofHours(1));
        assertThat(s.knownUserCount()).isEqualTo(120_000);
        assertThat(s.toBuilder().sessionsPerMinute(10).build().knownUserCount()).isEqualTo(10_000);
        assertThat(s.toBuilder().knownUsers(777).build().knownUserCount()).isEqualTo(777);
    }

    @Test
    void theDemoRunsFromNowForeverWithASpikeAndALittleOfEveryFault() {
        GeneratorSettings demo = GeneratorSettings.demo(99);
        assertThat(demo.start).isNull();
        assertThat(demo.duration).isNull();
        assertThat(demo.pacing).isEqualTo(Pacing.realtime());
        assertThat(demo.promotion).isEqualTo(new Promotion(Duration.ofMinutes(3), Duration.ofMinutes(5), 20));

        Instant now = Instant.parse("2026-11-11T12:00:00Z");
        TrafficGenerator generator = new TrafficGenerator(demo, () -> now);
        Map<String, Integer> labels = new TreeMap<>();
        GeneratedEvent e;
        do {
            e = generator.next();
            if (e.label() != null) {
                labels.merge(e.label().replaceAll(":.*", ""), 1, Integer::sum);
            }
        } while (e.arrivalTime().isBefore(now.plus(Duration.ofMinutes(20))));

        assertThat(labels).containsKeys("late", "out_of_order", "duplicate", "malformed", "fraud");
        assertThat(generator.start()).isEqualTo(now);
    }

    @Test
    void invalidSettingsAreRejectedWithEveryProblemListed() {
        assertThatThrownBy(() -> GeneratorSettings.builder().sessionsPerMinute(0).lateRate(0.6).outOfOrderRate(0.6)
                .duplicateRate(-1).duration(null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sessions per minute must be positive")
                .hasMessageContaining("must not exceed 1")
                .hasMessageContaining("duplicate rate must be between 0 and 1")
                .hasMessageContaining("fast pacing needs a duration");
        assertThatThrownBy(() -> new Promotion(Duration.ofMinutes(1), Duration.ofMinutes(5), 0.5))
                .hasMessageContaining("factor must be at least 1");
        assertThatThrownBy(() -> Pacing.rate(0)).hasMessageContaining("positive number of events per second");
    }
}
