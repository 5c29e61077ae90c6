package dev.pulse.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.time.BusinessTime;
import dev.pulse.time.Period;
import java.time.Instant;
import java.time.ZoneId;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The cached period bounds equal the time zone's, in any order of times and across daylight saving. */
class WindowBoundsTest {

    @Test
    void givesThePeriodStartOfEveryTimeLikeTheZoneRulesDo() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        long from = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        long span = 400L * 24 * 3600 * 1000; // both clock changes, more days than the cache holds
        SplittableRandom random = new SplittableRandom(7);
        for (Period period : Period.values()) {
            WindowBounds bounds = new WindowBounds(period, new BusinessTime(berlin));
            for (int i = 0; i < 200_000; i++) {
                long time = i % 3 == 0 ? from + random.nextLong(span) // anywhere
                        : from + span / 2 + random.nextLong(3L * 24 * 3600 * 1000); // mostly a few days
                assertThat(bounds.startOf(time)).as("%s of %s", period, Instant.ofEpochMilli(time))
                        .isEqualTo(period.start(time, berlin));
            }
        }
    }
}
