package dev.pulse.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.ingestion.VisitorKeys;
import dev.pulse.model.ClickEvent;
import dev.pulse.testing.Events;
import dev.pulse.time.BusinessTime;
import dev.pulse.window.Tally;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-visitor operator: first-seen per minute and day, day rollover, daylight saving, lateness, new users, MAU
 * edges, D1 and D7 retention, sessions split by the gap, and state cleared after the horizon.
 */
@Timeout(60)
class VisitorActivityTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Instant MIDNIGHT = Instant.parse("2026-11-10T16:00:00Z"); // 2026-11-11 00:00 in Shanghai
    private static final LocalDate DAY_0 = LocalDate.of(2026, 11, 11);
    private static final Duration LATENESS = Duration.ofMinutes(2);
    private static final Duration GAP = Duration.ofMinutes(30);
    private static final String[] DAY_SUMS = {"dau_total", "new_users", "mau", "cohort_d1", "retained_d1",
        "cohort_d7", "retained_d7", "dau|app", "dau|web", "dau|mini_program"};

    private static KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Tally> harness(ZoneId zone)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new VisitorActivity(LATENESS, GAP, new BusinessTime(zone))),
                VisitorKeys::of, Types.STRING);
    }

    private static void click(KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Tally> h, String user,
                              String type, Instant at, String channel, String platform) throws Exception {
        ClickEvent e = Events.click(user + "@" + at + type, at, type, channel, platform);
        e.userId = user;
        h.processElement(e, at.toEpochMilli());
    }

    private static void view(KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Tally> h, String user,
                             Instant at) throws Exception {
        click(h, user, "page_view", at, "organic", "app");
    }

    private static Instant day(int n) {
        return DAY_0.plusDays(n).atStartOfDay(SHANGHAI).toInstant();
    }

    /** The minute tallies, each "key at time". */
    private static List<String> minute(KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Tally> h) {
        return h.extractOutputStreamRecords().stream()
                .map(r -> r.getValue().key + " at " + Instant.ofEpochMilli(r.getValue().time))
                .collect(Collectors.toList());
    }

    /** The day tallies of one sum, each as the local date it counts for (a range as its days), in the order sent. */
    private static List<LocalDate> days(KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Tally> h,
                                        String sum) {
        return tallies(h, VisitorActivity.DAY_TALLIES).stream().filter(t -> name(t).equals(sum))
                .flatMap(t -> IntStream.range(0, t.windows)
                        .mapToObj(i -> Instant.ofEpochMilli(t.time).atZone(SHANGHAI).toLocalDate().plusDays(i)))
                .collect(Collectors.toList());
    }

    private static String name(Tally t) {
        return t.slot < DAY_SUMS.length ? DAY_SUMS[t.slot] : "uv_channel" + (t.slot - DAY_SUMS.length);
    }

    /** The day tallies other than MAU and the cohorts (which are sent ahead), as "sum" in the order sent. */
    private static List<String> sameDay(KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Tally> h) {
        return tallies(h, VisitorActivity.DAY_TALLIES).stream().map(VisitorActivityTest::name)
                .filter(n -> !n.equals("mau") && !n.startsWith("cohort")).collect(Collectors.toList());
    }

    private static List<Tally> tallies(KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Tally> h,
                                       org.apache.flink.util.OutputTag<Tally> tag) {
        var side = h.getSideOutput(tag);
        List<Tally> out = new ArrayList<>();
        if (side != null) {
            side.forEach(r -> out.add(((StreamRecord<Tally>) r).getValue()));
        }
        return out;
    }

    /** Sessions as "start..last pageViews" from their three tallies: count, bounce (if one), length. */
    private static List<String> sessions(KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, Tally> h) {
        List<String> out = new ArrayList<>();
        for (Tally t : tallies(h, VisitorActivity.SESSION_TALLIES)) {
            Instant last = Instant.ofEpochMilli(t.time);
            switch (t.slot) {
                case UserSums.SESSION_COUNT -> out.add("session ending " + last);
                case UserSums.BOUNCES -> out.add("bounce");
                default -> out.add("lasting " + Duration.ofMillis(t.value));
            }
        }
        return out;
    }

    @Test
    void aVisitorCountsOncePerMinuteAndPairAndOncePerDayAndPlatformAndChannel() throws Exception {
        try (var h = harness(SHANGHAI)) {
            h.open();
            click(h, "u1", "page_view", MIDNIGHT.plusSeconds(1), "organic", "app");
            click(h, "u1", "product_view", MIDNIGHT.plusSeconds(2), "organic", "app");
            click(h, "u1", "page_view", MIDNIGHT.plusSeconds(3), "search", "app");
            click(h, "u1", "page_view", MIDNIGHT.plusSeconds(61), "organic", "app");
            click(h, "u1", "page_view", MIDNIGHT.plusSeconds(62), "organic", "web");
            click(h, "u2", "page_view", MIDNIGHT.plusSeconds(5), "organic", "app");
            assertThat(minute(h)).containsExactly(
                    "uv|organic|app at " + MIDNIGHT.plusSeconds(1), "uv_total at " + MIDNIGHT.plusSeconds(1),
                    "uv|search|app at " + MIDNIGHT.plusSeconds(3),
                    "uv|organic|app at " + MIDNIGHT.plusSeconds(61), "uv_total at " + MIDNIGHT.plusSeconds(61),
                    "uv|organic|web at " + MIDNIGHT.plusSeconds(62),
                    "uv|organic|app at " + MIDNIGHT.plusSeconds(5), "uv_total at " + MIDNIGHT.plusSeconds(5));
            // channels in the schema's order: organic is 0, search 1
            assertThat(sameDay(h)).containsExactly("dau_total", "dau|app", "uv_channel0", "uv_channel1", "dau|web",
                    "dau_total", "dau|app", "uv_channel0");
        }
    }

    @Test
    void theLastMillisecondOfADayAndTheFirstOfTheNextCountInTwoDays() throws Exception {
        try (var h = harness(SHANGHAI)) {
            h.open();
            view(h, "u1", MIDNIGHT.minusMillis(1)); // 23:59:59.999 on the 10th
            view(h, "u1", MIDNIGHT);
            assertThat(days(h, "dau_total")).containsExactly(DAY_0.minusDays(1), DAY_0);
        }
    }

    @Test
    void businessDaysFollowTheZoneAcrossADaylightSavingChange() throws Exception {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        try (var h = harness(berlin)) {
            h.open();
            // 2026-03-29 is 23 hours long in Berlin: 00:30 and 23:30 local time are the same business day
            view(h, "u1", Instant.parse("2026-03-28T23:30:00Z"));
            view(h, "u1", Instant.parse("2026-03-29T21:30:00Z"));
            view(h, "u1", Instant.parse("2026-03-29T22:00:00Z")); // next day
            assertThat(tallies(h, VisitorActivity.DAY_TALLIES).stream().filter(t -> t.slot == UserSums.DAU_TOTAL)
                    .map(t -> Instant.ofEpochMilli(t.time).atZone(berlin).toLocalDateTime().toString()))
                    .containsExactly("2026-03-29T00:00", "2026-03-30T00:00");
        }
    }

    @Test
    void aLateEventWithinTheLatenessIsNotCountedTwice() throws Exception {
        try (var h = harness(SHANGHAI)) {
            h.open();
            view(h, "u1", MIDNIGHT.plusSeconds(10));
            h.processWatermark(MIDNIGHT.plusSeconds(150).toEpochMilli()); // minute 00:00 closed 90 s ago
            view(h, "u1", MIDNIGHT.plusSeconds(20));
            assertThat(minute(h)).hasSize(2); // the first event's UV and total only
            assertThat(sameDay(h)).containsExactly("dau_total", "dau|app", "uv_channel0");
        }
    }

    @Test
    void newUsersAreDistinctUsersWithARegisterEventInTheDay() throws Exception {
        try (var h = harness(SHANGHAI)) {
            h.open();
            click(h, "u1", "register", MIDNIGHT.plusSeconds(10), "organic", "app");
            click(h, "u1", "register", MIDNIGHT.plusSeconds(20), "organic", "app");
            click(h, "u2", "register", MIDNIGHT.plusSeconds(30), "organic", "web");
            click(h, "u1", "register", day(1), "organic", "app");
            assertThat(days(h, "new_users")).containsExactly(DAY_0, DAY_0, DAY_0.plusDays(1));
        }
    }

    /** MAU of day D counts a visitor active on any of D-29..D: each day once, whatever order the days come in. */
    @Test
    void mauCountsEachVisitorOncePerDayOfTheThirtyEndingOnIt() throws Exception {
        try (var h = harness(SHANGHAI)) {
            h.open();
            view(h, "u1", day(0).plusSeconds(5));
            view(h, "u1", day(29).plusSeconds(5)); // day 0 is still among the 30 ending on day 29
            view(h, "u2", day(0).plusSeconds(5));
            view(h, "u2", day(30).plusSeconds(5)); // ... but not among those ending on day 30
            view(h, "u3", day(3).plusSeconds(5));
            view(h, "u3", day(1).plusSeconds(5)); // an earlier day after a later one
            Map<String, TreeSet<LocalDate>> expected = new TreeMap<>(Map.of(
                    "u1", covered(0, 29), "u2", covered(0, 30), "u3", covered(1, 3)));
            List<LocalDate> all = days(h, "mau");
            List<LocalDate> expectedAll = expected.values().stream().flatMap(TreeSet::stream).sorted().toList();
            assertThat(all.stream().sorted().toList()).isEqualTo(expectedAll); // no day twice for a visitor
            assertThat(all.subList(0, 30)).isEqualTo(IntStream.range(0, 30).mapToObj(DAY_0::plusDays).toList());
            assertThat(all.subList(30, 59)).isEqualTo(IntStream.range(30, 59).mapToObj(DAY_0::plusDays).toList());
        }
    }

    /** The days a visitor active on these days counts in MAU for. */
    private static TreeSet<LocalDate> covered(int... activeDays) {
        TreeSet<LocalDate> days = new TreeSet<>();
        for (int d : activeDays) {
            IntStream.range(d, d + 30).forEach(i -> days.add(DAY_0.plusDays(i)));
        }
        return days;
    }

    @Test
    void anActiveDayMoreThanThirtyDaysOnCountsAsAFirstOnceTheStateIsGone() throws Exception {
        try (var h = harness(SHANGHAI)) {
            h.open();
            view(h, "u1", day(0).plusSeconds(5));
            h.processWatermark(day(30).plus(LATENESS).toEpochMilli());
            assertThat(h.numKeyedStateEntries()).isZero();
            view(h, "u1", day(31).plusSeconds(5));
            assertThat(days(h, "mau")).hasSize(60).doesNotHaveDuplicates();
        }
    }

    @Test
    void retentionCountsTheRegisteredWhoComeBackTheNextDayOrAWeekLater() throws Exception {
        try (var h = harness(SHANGHAI)) {
            h.open();
            click(h, "u1", "register", day(0).plusSeconds(1), "organic", "app");
            view(h, "u1", day(1).plusSeconds(1)); // D1
            click(h, "u2", "register", day(0).plusSeconds(2), "organic", "app");
            view(h, "u2", day(7).plusSeconds(2)); // D7 only
            click(h, "u3", "register", day(0).plusSeconds(3), "organic", "app");
            view(h, "u3", day(2).plusSeconds(3)); // neither
            view(h, "u3", day(8).plusSeconds(3));
            view(h, "u4", day(1).plusSeconds(4)); // active on D1 before its registration on D0 arrives
            click(h, "u4", "register", day(0).plusSeconds(4), "organic", "app");
            view(h, "u5", day(1).plusSeconds(5)); // active, never registered
            assertThat(days(h, "cohort_d1")).containsExactly(day1(), day1(), day1(), day1());
            assertThat(days(h, "retained_d1")).containsExactly(day1(), day1());
            assertThat(days(h, "cohort_d7")).containsOnly(DAY_0.plusDays(7)).hasSize(4);
            assertThat(days(h, "retained_d7")).containsExactly(DAY_0.plusDays(7));
        }
    }

    private static LocalDate day1() {
        return DAY_0.plusDays(1);
    }

    @Test
    void aGapOfThirtyMinutesEndsASessionAndALateEventBridgingOneJoinsTwo() throws Exception {
        try (var h = harness(SHANGHAI)) {
            h.open();
            Instant t = MIDNIGHT.plusSeconds(60);
            view(h, "u1", t);
            view(h, "u1", t.plus(Duration.ofMinutes(10)));
            Instant last = t.plus(GAP).plus(Duration.ofMinutes(10)).minusMillis(1); // 29:59.999 after
            click(h, "u1", "add_to_cart", last, "organic", "app");
            Instant alone = last.plus(GAP); // exactly the gap after: a session of its own
            view(h, "u1", alone);
            view(h, "u2", t);
            view(h, "u2", t.plus(Duration.ofMinutes(50)));
            view(h, "u2", t.plus(Duration.ofMinutes(25))); // late: bridges the two
            Instant other = t.plus(Duration.ofHours(3));
            click(h, "u3", "search", other, "organic", "app"); // no page view: not a bounce
            // closed once no event less than the gap after its last can be admitted: that minute's end + lateness
            long firstCloses = last.plus(GAP).minusMillis(1).truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
                    .plus(Duration.ofMinutes(1)).plus(LATENESS).toEpochMilli() - 1;
            h.processWatermark(firstCloses - 1);
            assertThat(sessions(h)).isEmpty();
            h.processWatermark(firstCloses);
            assertThat(sessions(h)).containsExactly("session ending " + last, "lasting PT39M59.999S");
            h.processWatermark(other.plus(Duration.ofHours(1)).toEpochMilli());
            assertThat(sessions(h)).containsExactlyInAnyOrder(
                    "session ending " + last, "lasting PT39M59.999S",
                    "session ending " + alone, "bounce", "lasting PT0S",
                    "session ending " + t.plus(Duration.ofMinutes(50)), "lasting PT50M",
                    "session ending " + other, "lasting PT0S");
        }
    }

    @Test
    void holdsNoStateOrTimerOnceTheHorizonHasPassed() throws Exception {
        try (var h = harness(SHANGHAI)) {
            h.open();
            click(h, "u1", "register", day(0).plusSeconds(10), "organic", "app");
            view(h, "u1", day(0).plus(Duration.ofHours(20)));
            view(h, "u2", day(3).plusSeconds(10));
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);
            h.processWatermark(day(1).plus(LATENESS).toEpochMilli()); // sessions and day 0 over: u1 only waits
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);
            assertThat(h.numEventTimeTimers()).isEqualTo(2);
            long horizon = day(30).plus(LATENESS).toEpochMilli() - 1; // the last day of u1's MAU is closed
            h.processWatermark(horizon - 1);
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);
            h.processWatermark(horizon);
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            h.processWatermark(day(33).plus(LATENESS).toEpochMilli());
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
