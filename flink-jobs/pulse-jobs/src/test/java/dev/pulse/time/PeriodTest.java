package dev.pulse.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** Minutes and business days in the business time zone, across midnight and daylight-saving changes. */
class PeriodTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static long at(String local, ZoneId zone) {
        return ZonedDateTime.parse(local + zone.getRules().getOffset(java.time.LocalDateTime.parse(local)) + "[" + zone
                + "]").toInstant().toEpochMilli();
    }

    @Test
    void theLastMillisecondOfADayAndTheFirstOfTheNextFallInTwoDays() {
        long lastOfDay = at("2026-11-11T23:59:59.999", SHANGHAI);
        long firstOfNext = at("2026-11-12T00:00:00", SHANGHAI);
        assertThat(Period.DAY.start(lastOfDay, SHANGHAI)).isEqualTo(at("2026-11-11T00:00:00", SHANGHAI));
        assertThat(Period.DAY.end(lastOfDay, SHANGHAI)).isEqualTo(firstOfNext);
        assertThat(Period.DAY.start(firstOfNext, SHANGHAI)).isEqualTo(firstOfNext);
        assertThat(Period.MINUTE.start(lastOfDay, SHANGHAI)).isEqualTo(at("2026-11-11T23:59:00", SHANGHAI));
        assertThat(Period.MINUTE.end(lastOfDay, SHANGHAI)).isEqualTo(firstOfNext);
    }

    @Test
    void businessDaysAcrossDaylightSavingChangesLast23And25Hours() {
        long spring = at("2026-03-29T12:00:00", BERLIN); // clocks go forward at 02:00
        long autumn = at("2026-10-25T12:00:00", BERLIN); // clocks go back at 03:00
        assertThat(Duration.ofMillis(Period.DAY.end(spring, BERLIN) - Period.DAY.start(spring, BERLIN)))
                .isEqualTo(Duration.ofHours(23));
        assertThat(Duration.ofMillis(Period.DAY.end(autumn, BERLIN) - Period.DAY.start(autumn, BERLIN)))
                .isEqualTo(Duration.ofHours(25));
        assertThat(Instant.ofEpochMilli(Period.DAY.start(spring, BERLIN))).isEqualTo(Instant.parse("2026-03-28T23:00:00Z"));
        assertThat(Instant.ofEpochMilli(Period.DAY.end(spring, BERLIN))).isEqualTo(Instant.parse("2026-03-29T22:00:00Z"));
    }
}
