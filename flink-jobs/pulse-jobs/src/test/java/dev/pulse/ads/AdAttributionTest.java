package dev.pulse.ads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.ingestion.EventIds;
import dev.pulse.ingestion.VisitorKeys;
import dev.pulse.model.AdEvent;
import dev.pulse.model.OrderEvent;
import dev.pulse.window.Tally;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Attribution through its two operators, each in its test harness and wired as in the job: the clicks and
 * payments of a visitor ({@link LastAdClicks}) give candidates to the user's {@link AdAttribution}, which also reads
 * the user's order events. Covers the window's edges, last click wins (in any arrival order), a visitor known only
 * by its device, a refund and a cancellation of an attributed order, first-time buyers, and state cleared after
 * the window and the horizons.
 */
@Timeout(60)
class AdAttributionTest {
    private static final Duration WINDOW = Duration.ofHours(24);
    private static final Duration LATENESS = Duration.ofMinutes(2);
    private static final Duration HORIZON = Duration.ofDays(7);
    private static final Duration LOOKBACK = Duration.ofDays(30);
    private static final Instant T0 = Instant.parse("2026-11-10T02:00:00Z"); // 10:00 in Shanghai
    private static int ids;

    private KeyedTwoInputStreamOperatorTestHarness<String, AdEvent, OrderPayment, ClickCandidate> clicks;
    private KeyedTwoInputStreamOperatorTestHarness<String, OrderEvent, ClickCandidate, Tally> attribution;
    private int candidatesPassed;

    @BeforeEach
    void open() throws Exception {
        clicks = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new LastAdClicks(WINDOW, LATENESS)),
                (AdEvent a) -> VisitorKeys.of(a),
                (OrderPayment p) -> p.visitor, Types.STRING);
        attribution = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new AdAttribution(LATENESS, HORIZON, LOOKBACK)),
                (OrderEvent o) -> VisitorKeys.of(o), (ClickCandidate c) -> VisitorKeys.user(c.userId),
                Types.STRING);
        clicks.open();
        attribution.open();
    }

    @AfterEach
    void close() throws Exception {
        clicks.close();
        attribution.close();
    }

    private void click(String user, String device, String campaign, Instant at) throws Exception {
        AdEvent e = new AdEvent();
        e.eventId = "a" + ids++;
        e.eventTime = at;
        e.kind = AdEvent.CLICK;
        e.impressionId = "imp-" + ids;
        e.campaignId = campaign;
        e.creativeId = "cr-1";
        e.placement = "feed";
        e.userId = user;
        e.deviceId = device;
        e.cost = new BigDecimal("1.00");
        e.currency = "CNY";
        clicks.processElement1(e, at.toEpochMilli());
        pump();
    }

    private void order(String status, String order, String user, String device, String amount, Instant at)
            throws Exception {
        OrderEvent e = new OrderEvent();
        e.eventId = "o" + ids++;
        e.eventTime = at;
        e.orderId = order;
        e.userId = user;
        e.status = status;
        e.amount = new BigDecimal(amount);
        e.currency = "CNY";
        e.itemCount = 1;
        e.channel = "paid_ads";
        e.deviceId = device;
        attribution.processElement1(e, at.toEpochMilli());
        if (status.equals(OrderEvent.PAID)) {
            long hash = EventIds.hash(order);
            long t = at.toEpochMilli();
            clicks.processElement2(new OrderPayment(VisitorKeys.user(user), user, hash, t), t);
            clicks.processElement2(new OrderPayment(VisitorKeys.device(device), user, hash, t), t);
        }
        pump();
    }

    private void paid(String order, String user, String device, String amount, Instant at) throws Exception {
        order(OrderEvent.PAID, order, user, device, amount, at);
    }

    /** Moves the candidates found so far to the attribution, as the shuffle between them does. */
    private void pump() throws Exception {
        var out = clicks.extractOutputValues();
        for (; candidatesPassed < out.size(); candidatesPassed++) {
            ClickCandidate c = out.get(candidatesPassed);
            attribution.processElement2(new StreamRecord<>(c, c.paidAt));
        }
    }

    private void watermark(Instant at) throws Exception {
        clicks.processBothWatermarks(new Watermark(at.toEpochMilli()));
        pump();
        attribution.processBothWatermarks(new Watermark(at.toEpochMilli()));
    }

    /** What is credited, summed: "campaign conversions|cents|buyers" -> per payment time sums non-zero. */
    private Map<String, Long> credited() {
        Map<String, Long> sums = new TreeMap<>();
        for (Tally t : attribution.extractOutputValues()) {
            String what = switch (t.slot) {
                case AdSums.CONVERSIONS -> "conversions";
                case AdSums.ATTRIBUTED_CENTS -> "cents";
                default -> "buyers";
            };
            sums.merge(AdSums.campaignOf(t.key) + " " + what + " @" + Instant.ofEpochMilli(t.time), t.value,
                    Long::sum);
        }
        sums.values().removeIf(v -> v == 0);
        return sums;
    }

    @Test
    void anOrderOneSecondInsideTheWindowConvertsAndOneSecondOutsideDoesNot() throws Exception {
        click("alice", "dev-a", "cmp-a", T0);
        click("bob", "dev-b", "cmp-b", T0);
        Instant inside = T0.plus(WINDOW).minusSeconds(1);
        Instant outside = T0.plus(WINDOW).plusSeconds(1);
        paid("o-alice", "alice", "dev-a", "100.00", inside);
        paid("o-bob", "bob", "dev-b", "80.00", outside);
        assertThat(credited()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cmp-a conversions @" + inside, 1L, "cmp-a cents @" + inside, 10_000L, "cmp-a buyers @" + inside, 1L));
    }

    @Test
    void theLastClickBeforeTheOrderWinsWhateverTheArrivalOrder() throws Exception {
        Instant pay = T0.plus(Duration.ofHours(2));
        // the order first, then the later click, then the earlier one
        paid("o-1", "alice", "dev-a", "50.00", pay);
        click("alice", "dev-a", "cmp-late", T0.plus(Duration.ofHours(1)));
        click("alice", "dev-a", "cmp-early", T0);
        click("alice", "dev-a", "cmp-after", pay.plusSeconds(1)); // after the payment: not its cause
        assertThat(credited()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cmp-late conversions @" + pay, 1L, "cmp-late cents @" + pay, 5_000L, "cmp-late buyers @" + pay, 1L));
    }

    @Test
    void anAnonymousClickIsMatchedThroughTheDeviceTheOrderWasPaidFrom() throws Exception {
        click(null, "dev-x", "cmp-anon", T0);
        Instant pay = T0.plus(Duration.ofMinutes(10));
        paid("o-1", "carol", "dev-x", "30.00", pay);
        // a logged-in click of the same user, later but still before the payment, takes it over
        click("carol", "dev-x", "cmp-user", T0.plus(Duration.ofMinutes(5)));
        assertThat(credited()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cmp-user conversions @" + pay, 1L, "cmp-user cents @" + pay, 3_000L, "cmp-user buyers @" + pay, 1L));
        // another device's anonymous clicks are not the user's
        click(null, "dev-other", "cmp-stranger", T0.plus(Duration.ofMinutes(6)));
        assertThat(credited()).doesNotContainKey("cmp-stranger conversions @" + pay);
    }

    @Test
    void aRefundOrCancellationOfAnAttributedOrderCorrectsItsGmvOnThePaymentDay() throws Exception {
        click("alice", "dev-a", "cmp-a", T0);
        Instant pay = T0.plusSeconds(60);
        paid("o-1", "alice", "dev-a", "100.00", pay);
        paid("o-2", "alice", "dev-a", "20.00", pay.plusSeconds(5));
        Instant nextWeek = pay.plus(Duration.ofDays(6));
        watermark(nextWeek);
        order(OrderEvent.REFUNDED, "o-1", "alice", "dev-a", "30.00", nextWeek);
        order(OrderEvent.CANCELLED, "o-2", "alice", "dev-a", "20.00", nextWeek);
        assertThat(credited()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cmp-a conversions @" + pay, 1L, "cmp-a cents @" + pay, 7_000L, "cmp-a buyers @" + pay, 1L,
                "cmp-a conversions @" + pay.plusSeconds(5), 1L));
    }

    @Test
    void aBuyerWhoPaidBeforeWithinTheLookbackIsNoFirstTimeBuyerEvenIfThatPaymentArrivesLate() throws Exception {
        click("alice", "dev-a", "cmp-a", T0);
        Instant pay = T0.plusSeconds(60);
        paid("o-2", "alice", "dev-a", "10.00", pay);
        assertThat(credited()).containsEntry("cmp-a buyers @" + pay, 1L);
        // an order paid the day before (no ad), arriving late
        paid("o-1", "alice", "dev-a", "10.00", pay.minus(Duration.ofDays(1)));
        assertThat(credited()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cmp-a conversions @" + pay, 1L, "cmp-a cents @" + pay, 1_000L));
        // beyond the lookback a payment is forgotten: the next attributed order is a first purchase again
        Instant later = pay.plus(LOOKBACK).plus(Duration.ofDays(1));
        watermark(later.minus(WINDOW));
        click("alice", "dev-a", "cmp-b", later.minusSeconds(60));
        paid("o-3", "alice", "dev-a", "10.00", later);
        assertThat(credited()).containsEntry("cmp-b buyers @" + later, 1L);
    }

    @Test
    void stateAndTimersAreGoneAfterTheWindowAndTheHorizons() throws Exception {
        click("alice", "dev-a", "cmp-a", T0);
        click(null, "dev-x", "cmp-a", T0);
        paid("o-1", "alice", "dev-a", "10.00", T0.plusSeconds(1));
        order(OrderEvent.REFUNDED, "o-9", "alice", "dev-a", "5.00", T0); // never seen paid
        watermark(T0.plus(LOOKBACK).plus(HORIZON).plus(WINDOW).plus(Duration.ofDays(1)));
        assertThat(clicks.numKeyedStateEntries()).isZero();
        assertThat(clicks.numEventTimeTimers()).isZero();
        assertThat(attribution.numKeyedStateEntries()).isZero();
        assertThat(attribution.numEventTimeTimers()).isZero();
    }
}
