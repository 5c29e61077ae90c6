package dev.pulse.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.ingestion.VisitorKeys;
import dev.pulse.model.ClickEvent;
import dev.pulse.testing.Events;
import dev.pulse.time.BusinessTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-visitor operator: first-seen per minute and day, day rollover, lateness, new users, state cleared. */
@Timeout(60)
class VisitorActivityTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Instant MIDNIGHT = Instant.parse("2026-11-10T16:00:00Z"); // 2026-11-11 00:00 in Shanghai
    private static final Duration LATENESS = Duration.ofMinutes(2);

    private static KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Tally> harness(ZoneId zone)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new VisitorActivity(LATENESS, new BusinessTime(zone))),
                VisitorKeys::of, Types.STRING);
    }

    private static void click(KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Tally> h, String user,
                              String type, Instant at, String channel, String platform) throws Exception {
        ClickEvent e = Events.click(user + "@" + at + type, at, type, channel, platform);
        e.userId = user;
        h.processElement(e, at.toEpochMilli());
    }

    /** The minute tallies and the day tallies, each "key at time". */
    private static List<String> minute(KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Tally> h) {
        return h.extractOutputStreamRecords().stream().map(r -> r.getValue() + " at " + Instant.ofEpochMilli(r.getTimestamp()))
                .collect(Collectors.toList());
    }

    private static List<String> day(KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Tally> h) {
        var side = h.getSideOutput(VisitorActivity.DAY_TALLIES);
        return side == null ? List.of() : side.stream().map(r -> ((StreamRecord<Tally>) r).getValue().toString())
                .collect(Collectors.toList());
    }

    @Test
    void aVisitorCountsOncePerMinuteAndPairAndOncePerDayAndPlatform() throws Exception {
        try (var h = harness(SHANGHAI)) {
            h.open();
            click(h, "u1", "page_view", MIDNIGHT.plusSeconds(1), "organic", "app");
            click(h, "u1", "product_view", MIDNIGHT.plusSeconds(2), "organic", "app");
            click(h, "u1", "page_view", MIDNIGHT.plusSeconds(3), "search", "app");
            click(h, "u1", "page_view", MIDNIGHT.plusSeconds(61), "organic", "app");
            click(h, "u1", "page_view", MIDNIGHT.plusSeconds(62), "organic", "web");
            click(h, "u2", "page_view", MIDNIGHT.plusSeconds(5), "organic", "app");
            assertThat(minute(h)).containsExactly(
                    "uv|organic|app+1 at " + MIDNIGHT.plusSeconds(1), "uv_total+1 at " + MIDNIGHT.plusSeconds(1),
                    "uv|search|app+1 at " + MIDNIGHT.plusSeconds(3),
                    "uv|organic|app+1 at " + MIDNIGHT.plusSeconds(61), "uv_total+1 at " + MIDNIGHT.plusSeconds(61),
                    "uv|organic|web+1 at " + MIDNIGHT.plusSeconds(62),
                    "uv|organic|app+1 at " + MIDNIGHT.plusSeconds(5), "uv_total+1 at " + MIDNIGHT.plusSeconds(5));
            assertThat(day(h)).containsExactly("dau|app+1", "dau_total+1", "dau|web+1", "dau|app+1", "dau_total+1");
        }
    }

    @Test
    void theLastMillisecondOfADayAndTheFirstOfTheNextCountInTwoDays() throws Exception {
        try (var h = harness(SHANGHAI)) {
            h.open();
            click(h, "u1", "page_view", MIDNIGHT.minusMillis(1), "organic", "app"); // 23:59:59.999 on the 10th
            click(h, "u1", "page_view", MIDNIGHT, "organic", "app");
            assertThat(day(h)).containsExactly("dau|app+1", "dau_total+1", "dau|app+1", "dau_total+1");
        }
    }

    @Test
    void businessDaysFollowTheZoneAcrossADaylightSavingChange() throws Exception {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        try (var h = harness(berlin)) {
            h.open();
            // 2026-03-29 is 23 hours long in Berlin: 00:30 and 23:30 local time are the same business day
            click(h, "u1", "page_view", Instant.parse("2026-03-28T23:30:00Z"), "organic", "app");
            click(h, "u1", "page_view", Instant.parse("2026-03-29T21:30:00Z"), "organic", "app");
            click(h, "u1", "page_view", Instant.parse("2026-03-29T22:00:00Z"), "organic", "app"); // next day
            assertThat(day(h)).containsExactly("dau|app+1", "dau_total+1", "dau|app+1", "dau_total+1");
        }
    }

    @Test
    void aLateEventWithinTheLatenessIsNotCountedTwice() throws Exception {
        try (var h = harness(SHANGHAI)) {
            h.open();
            click(h, "u1", "page_view", MIDNIGHT.plusSeconds(10), "organic", "app");
            h.processWatermark(MIDNIGHT.plusSeconds(150).toEpochMilli()); // minute 00:00 closed 90 s ago
            click(h, "u1", "page_view", MIDNIGHT.plusSeconds(20), "organic", "app");
            assertThat(minute(h)).hasSize(2); // the first event's UV and total only
            assertThat(day(h)).hasSize(2);
        }
    }

    @Test
    void newUsersAreDistinctUsersWithARegisterEventInTheDay() throws Exception {
        try (var h = harness(SHANGHAI)) {
            h.open();
            click(h, "u1", "register", MIDNIGHT.plusSeconds(10), "organic", "app");
            click(h, "u1", "register", MIDNIGHT.plusSeconds(20), "organic", "app");
            click(h, "u2", "register", MIDNIGHT.plusSeconds(30), "organic", "web");
            click(h, "u1", "register", MIDNIGHT.plus(Duration.ofDays(1)), "organic", "app");
            assertThat(day(h).stream().filter(t -> t.startsWith("new_users"))).hasSize(3);
        }
    }

    @Test
    void holdsNoStateOrTimerOnceTheVisitorsNewestDayCanNoLongerChange() throws Exception {
        try (var h = harness(SHANGHAI)) {
            h.open();
            click(h, "u1", "page_view", MIDNIGHT.plusSeconds(10), "organic", "app");
            click(h, "u1", "page_view", MIDNIGHT.plus(Duration.ofHours(20)), "organic", "app");
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            long dayOver = MIDNIGHT.plus(Duration.ofDays(1)).plus(LATENESS).toEpochMilli() - 1;
            h.processWatermark(dayOver - 1);
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            h.processWatermark(dayOver);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
