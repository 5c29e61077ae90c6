package dev.pulse.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.model.AdEvent;
import dev.pulse.model.DeadLetterReason;
import dev.pulse.time.BusinessTime;
import dev.pulse.time.Period;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Admission of ad events: a click before its impression, an impression shown twice under different event ids (in
 * order and out of order), a click whose impression never comes (counted once the horizon has passed), a copy of
 * an event id and a too-late event (as every stream's admission), and the state and timer gone after the horizon.
 */
@Timeout(60)
class AdmitAdsTest {
    private static final Duration LATENESS = Duration.ofMinutes(2);
    private static final Duration DEDUP = Duration.ofMinutes(5);
    private static final Duration HORIZON = Duration.ofHours(1);
    private static final Instant T0 = Instant.parse("2026-11-11T02:00:00Z");
    private static int ids;

    private AdmitAds admission;

    private KeyedOneInputStreamOperatorTestHarness<String, AdEvent, AdEvent> harness() throws Exception {
        admission = new AdmitAds(Period.MINUTE, LATENESS, DEDUP, HORIZON,
                new BusinessTime(ZoneId.of("Asia/Shanghai")));
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(admission),
                (AdEvent a) -> VisitorKeys.of(a), Types.STRING);
        h.open();
        return h;
    }

    private static void ad(KeyedOneInputStreamOperatorTestHarness<String, AdEvent, AdEvent> h, String kind,
                           String impression, String cost, Instant at) throws Exception {
        ad(h, "e" + ids++, kind, impression, cost, at);
    }

    private static void ad(KeyedOneInputStreamOperatorTestHarness<String, AdEvent, AdEvent> h, String eventId,
                           String kind, String impression, String cost, Instant at) throws Exception {
        AdEvent e = new AdEvent();
        e.eventId = eventId;
        e.eventTime = at;
        e.kind = kind;
        e.impressionId = impression;
        e.campaignId = "cmp-1";
        e.creativeId = "cr-1";
        e.placement = "feed";
        e.userId = "alice";
        e.deviceId = "dev-alice";
        e.cost = new BigDecimal(cost);
        e.currency = "CNY";
        h.processElement(e, at.toEpochMilli());
    }

    /** The events passed on, as "kind impression cost". */
    private static List<String> passed(KeyedOneInputStreamOperatorTestHarness<String, AdEvent, AdEvent> h) {
        return h.extractOutputStreamRecords().stream().map(r -> r.getValue())
                .map(a -> a.kind + " " + a.impressionId + " " + a.cost.toPlainString())
                .collect(Collectors.toList());
    }

    private static long after(Duration d) {
        return T0.plus(d).toEpochMilli();
    }

    @Test
    void aClickBeforeItsImpressionCountsBothAndNothingMore() throws Exception {
        try (var h = harness()) {
            ad(h, AdEvent.CLICK, "imp-1", "1.60", T0.plusSeconds(5));
            ad(h, AdEvent.IMPRESSION, "imp-1", "0", T0);
            assertThat(passed(h)).containsExactly("click imp-1 1.60", "impression imp-1 0");
            h.processWatermark(new Watermark(after(HORIZON.plus(LATENESS).plusMinutes(1))));
            assertThat(admission.clicksWithoutImpression()).isZero();
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void anImpressionShownTwiceUnderDifferentEventIdsCountsOnceWithTheFirstCopysCost() throws Exception {
        try (var h = harness()) {
            ad(h, AdEvent.IMPRESSION, "imp-1", "0.064", T0);
            ad(h, AdEvent.IMPRESSION, "imp-1", "0.064", T0.plusSeconds(30));
            ad(h, AdEvent.CLICK, "imp-1", "0", T0.plusSeconds(40));
            ad(h, AdEvent.CLICK, "imp-1", "0", T0.plusSeconds(41)); // a second click is still a click
            assertThat(passed(h)).containsExactly("impression imp-1 0.064", "click imp-1 0", "click imp-1 0");
            h.processWatermark(new Watermark(after(HORIZON.plus(LATENESS).plusMinutes(1))));
            assertThat(admission.clicksWithoutImpression()).isZero();
        }
    }

    @Test
    void outOfOrderCopiesOfAnImpressionCountTheFirstToArrive() throws Exception {
        try (var h = harness()) {
            ad(h, AdEvent.IMPRESSION, "imp-1", "0.105", T0.plusSeconds(50));
            ad(h, AdEvent.IMPRESSION, "imp-1", "0.200", T0); // an earlier copy, arriving later
            ad(h, AdEvent.IMPRESSION, "imp-2", "0.105", T0.plusSeconds(10));
            assertThat(passed(h)).containsExactly("impression imp-1 0.105", "impression imp-2 0.105");
        }
    }

    @Test
    void aClickWhoseImpressionNeverComesIsCountedOnceTheHorizonHasPassed() throws Exception {
        try (var h = harness()) {
            ad(h, AdEvent.CLICK, "imp-lost", "2.15", T0);
            assertThat(passed(h)).containsExactly("click imp-lost 2.15");
            long due = after(HORIZON.plus(LATENESS));
            h.processWatermark(new Watermark(due - 1));
            assertThat(admission.clicksWithoutImpression()).isZero();
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            h.processWatermark(new Watermark(due));
            assertThat(admission.clicksWithoutImpression()).isEqualTo(1);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            h.processWatermark(new Watermark(due + HORIZON.toMillis()));
            assertThat(admission.clicksWithoutImpression()).isEqualTo(1); // once
        }
    }

    @Test
    void afterTheHorizonTheStateAndTimerAreGoneAndACopyWouldCountAgain() throws Exception {
        try (var h = harness()) {
            ad(h, AdEvent.IMPRESSION, "imp-1", "0.064", T0);
            ad(h, AdEvent.IMPRESSION, "imp-2", "0.064", T0.plusSeconds(600));
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            h.processWatermark(new Watermark(after(HORIZON.plus(LATENESS))));
            assertThat(h.numKeyedStateEntries()).isEqualTo(1); // imp-2 is still remembered
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            h.processWatermark(new Watermark(after(HORIZON.plus(LATENESS).plusSeconds(600))));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            ad(h, AdEvent.IMPRESSION, "imp-1", "0.064", T0.plus(HORIZON).plusSeconds(900));
            assertThat(passed(h)).containsExactly("impression imp-1 0.064", "impression imp-2 0.064",
                    "impression imp-1 0.064");
        }
    }

    @Test
    void aClickOfAnotherVisitorDoesNotMatchTheImpression() throws Exception {
        try (var h = harness()) {
            ad(h, AdEvent.IMPRESSION, "imp-1", "0", T0);
            AdEvent click = new AdEvent();
            click.eventId = "e" + ids++;
            click.eventTime = T0.plusSeconds(3);
            click.kind = AdEvent.CLICK;
            click.impressionId = "imp-1";
            click.campaignId = "cmp-1";
            click.creativeId = "cr-1";
            click.placement = "feed";
            click.deviceId = "dev-alice"; // anonymous: the device's key, not alice's
            click.cost = new BigDecimal("1.60");
            click.currency = "CNY";
            h.processElement(click, click.eventTime.toEpochMilli());
            h.processWatermark(new Watermark(after(HORIZON.plus(LATENESS).plusMinutes(1))));
            assertThat(admission.clicksWithoutImpression()).isEqualTo(1);
        }
    }

    @Test
    void aCopyOfAnEventIdIsDroppedAndATooLateEventDeadLettered() throws Exception {
        try (var h = harness()) {
            ad(h, "click-1", AdEvent.CLICK, "imp-1", "1.60", T0);
            ad(h, "click-1", AdEvent.CLICK, "imp-1", "1.60", T0); // the same line sent twice: one click
            h.processWatermark(new Watermark(after(Duration.ofMinutes(10))));
            ad(h, AdEvent.IMPRESSION, "imp-old", "0.064", T0); // its minute closed more than the lateness ago
            assertThat(passed(h)).containsExactly("click imp-1 1.60");
            assertThat(h.getSideOutput(DeadLetters.TAG)).singleElement()
                    .satisfies(r -> assertThat(r.getValue().reason).isEqualTo(DeadLetterReason.TOO_LATE));
        }
    }
}
