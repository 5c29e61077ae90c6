package dev.pulse.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The packed state reads back what was written, at the edges of every field. */
class VisitorBitsTest {
    private static final long GAP = 30 * 60_000L;

    private static VisitorBits roundTrip(VisitorBits v) {
        return VisitorBits.of(v.toArray());
    }

    @Test
    void everyFieldSurvivesTheRoundTripAtItsEdges() {
        for (int newest : new int[] {0, 20_420, (int) LocalDate.of(2328, 1, 1).toEpochDay()}) {
            VisitorBits v = VisitorBits.of(null);
            v.markActive(newest - 30);
            v.markActive(newest - 8);
            v.markRegistered(newest - 8);
            v.markActive(newest);
            v.markRegistered(newest);
            v.setDay(newest, VisitorBits.with(VisitorBits.with(0, 2), VisitorBits.CHANNEL_BIT + 15));
            v.setDay(newest - 1, VisitorBits.with(0, 7));
            v.setMinute(newest * 1440, VisitorBits.with(0, 30));
            long at = newest * 86_400_000L;
            v.addToSession(at, true, GAP);
            v.addToSession(at + 2 * GAP, false, GAP);
            v.setTimer(4_294_967_295_999L); // the last second a 32-bit count of seconds holds (2106)

            VisitorBits r = roundTrip(v);
            assertThat(r.newestDay()).isEqualTo(newest);
            assertThat(r.activeOn(newest - 30)).isTrue();
            assertThat(r.activeOn(newest - 29)).isFalse();
            assertThat(r.activeOn(newest - 8)).isTrue();
            assertThat(r.registeredOn(newest - 8)).isTrue();
            assertThat(r.registeredOn(newest)).isTrue();
            assertThat(r.activeBefore(newest)).isEqualTo(newest - 8);
            assertThat(r.day(newest)).isEqualTo(v.day(newest)).isNotZero();
            assertThat(VisitorBits.has(r.day(newest), VisitorBits.CHANNEL_BIT + 15)).isTrue();
            assertThat(r.day(newest - 1)).isEqualTo(VisitorBits.with(0, 7));
            assertThat(r.minute(newest * 1440)).isEqualTo(VisitorBits.with(0, 30));
            assertThat(r.sessionCount()).isEqualTo(2);
            assertThat(r.sessionStart(0)).isEqualTo(at);
            assertThat(r.sessionPageViews(0)).isEqualTo(1);
            assertThat(r.sessionLast(1)).isEqualTo(at + 2 * GAP);
            assertThat(r.timer()).isEqualTo(4_294_967_295_000L);
        }
    }

    @Test
    void aNewerDayShiftsTheBitsAndKeepsTheOldDaysCountsAsAnEntry() {
        VisitorBits v = VisitorBits.of(null);
        v.markActive(100);
        v.setDay(100, VisitorBits.with(0, 1));
        v.markRegistered(100);
        v.markActive(101);
        VisitorBits r = roundTrip(v);
        assertThat(r.activeOn(100)).isTrue();
        assertThat(r.registeredOn(100)).isTrue();
        assertThat(r.day(100)).isEqualTo(VisitorBits.with(0, 1));
        assertThat(r.day(101)).isEqualTo(1 << 31); // counted, nothing else yet
        r.markActive(140);
        assertThat(r.activeOn(101)).isFalse(); // more than 31 days back
        assertThat(r.registeredOn(100)).isFalse();
    }

    @Test
    void moreOpenSessionsThanTheStateHoldsJoinTheLatest() {
        VisitorBits v = VisitorBits.of(null);
        v.markActive(1);
        for (int i = 0; i <= VisitorBits.MAX_SESSIONS; i++) {
            v.addToSession(i * 3 * GAP, true, GAP);
        }
        VisitorBits r = roundTrip(v);
        assertThat(r.sessionCount()).isEqualTo(VisitorBits.MAX_SESSIONS);
        assertThat(r.sessionLast(VisitorBits.MAX_SESSIONS - 1)).isEqualTo(VisitorBits.MAX_SESSIONS * 3 * GAP);
        assertThat(r.sessionPageViews(VisitorBits.MAX_SESSIONS - 1)).isEqualTo(2);
    }
}
