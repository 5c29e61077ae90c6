package dev.pulse.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.model.OrderEvent;
import dev.pulse.testing.Events;
import dev.pulse.time.BusinessTime;
import dev.pulse.window.Tally;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-user order ledger: net GMV credited to the payment's time whatever order the events come in, a refund
 * the next day, a failed payment then a successful one, a cancellation before and after payment, repurchase and
 * paying users, and orders forgotten after the correction horizon.
 */
@Timeout(60)
class OrderLedgerTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final LocalDate DAY_0 = LocalDate.of(2026, 11, 11);
    private static final Duration LATENESS = Duration.ofMinutes(2);
    private static final Duration HORIZON = Duration.ofDays(7);
    private static int ids;

    private static KeyedOneInputStreamOperatorTestHarness<String, OrderEvent, Tally> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new OrderLedger(LATENESS, HORIZON, new BusinessTime(SHANGHAI))),
                (OrderEvent o) -> "u:" + o.userId, Types.STRING);
        h.open();
        return h;
    }

    private static Instant at(int day, int hour, int minute) {
        return DAY_0.plusDays(day).atTime(hour, minute).atZone(SHANGHAI).toInstant();
    }

    private static void order(KeyedOneInputStreamOperatorTestHarness<String, OrderEvent, Tally> h, String order,
                              String status, String amount, Instant at, String channel) throws Exception {
        OrderEvent e = Events.order("e" + ids++, at, status, amount, channel);
        e.orderId = order;
        e.userId = "alice";
        h.processElement(e, at.toEpochMilli());
    }

    private static void order(KeyedOneInputStreamOperatorTestHarness<String, OrderEvent, Tally> h, String order,
                              String status, String amount, Instant at) throws Exception {
        order(h, order, status, amount, at, "organic");
    }

    /** Tallies of one output as "channel slot value @ local time". */
    private static List<String> tallies(KeyedOneInputStreamOperatorTestHarness<String, OrderEvent, Tally> h,
                                        OutputTag<Tally> tag) {
        List<Tally> out = tag == null
                ? h.extractOutputStreamRecords().stream().map(r -> r.getValue()).collect(Collectors.toList())
                : h.getSideOutput(tag) == null ? List.of()
                : h.getSideOutput(tag).stream().map(r -> r.getValue()).collect(Collectors.toList());
        return out.stream().map(t -> t.key + " " + t.slot + " " + t.value + " @ "
                        + Instant.ofEpochMilli(t.time).atZone(SHANGHAI).toLocalDateTime()
                        + (t.windows > 1 ? " x" + t.windows : ""))
                .collect(Collectors.toList());
    }

    private static String net(String channel, long cents, Instant at) {
        return "channel|" + channel + " " + OrderSums.NET_CENTS + " " + cents + " @ "
                + at.atZone(SHANGHAI).toLocalDateTime();
    }

    @Test
    void anOrderPaidAt2359AndRefundedTheNextDayIsTakenOffTheDayItWasPaid() throws Exception {
        var h = harness();
        Instant paid = at(0, 23, 59);
        order(h, "o1", OrderEvent.CREATED, "100.00", at(0, 23, 58));
        order(h, "o1", OrderEvent.PAID, "100.00", paid);
        h.processWatermark(new Watermark(at(1, 8, 0).toEpochMilli()));
        order(h, "o1", OrderEvent.REFUNDED, "30.50", at(1, 9, 0));
        assertThat(tallies(h, OrderLedger.NET)).containsExactly(net("organic", 10000, paid),
                net("organic", -3050, paid));
        order(h, "o1", OrderEvent.REFUNDED, "69.50", at(1, 10, 0));
        order(h, "o1", OrderEvent.REFUNDED, "5.00", at(1, 11, 0)); // more than paid: net stays at zero
        assertThat(tallies(h, OrderLedger.NET)).containsExactly(net("organic", 10000, paid),
                net("organic", -3050, paid), net("organic", -6950, paid));
        assertThat(tallies(h, null)).isEmpty();
    }

    @Test
    void aRefundArrivingBeforeItsPaymentIsCreditedWhenThePaymentComes() throws Exception {
        var h = harness();
        Instant paid = at(0, 10, 0);
        order(h, "o1", OrderEvent.REFUNDED, "40.00", at(0, 11, 0));
        assertThat(tallies(h, OrderLedger.NET)).isEmpty();
        order(h, "o1", OrderEvent.PAID, "100.00", paid);
        assertThat(tallies(h, OrderLedger.NET)).containsExactly(net("organic", 6000, paid));
    }

    @Test
    void aFailedPaymentThenASuccessfulOneMakesOnePaidOrderAndOnePayingUser() throws Exception {
        var h = harness();
        Instant paid = at(0, 10, 5);
        order(h, "o1", OrderEvent.CREATED, "80.00", at(0, 10, 0));
        order(h, "o1", OrderEvent.PAYMENT_FAILED, "80.00", at(0, 10, 1));
        assertThat(tallies(h, OrderLedger.NET)).isEmpty();
        assertThat(tallies(h, OrderLedger.DAY)).isEmpty();
        order(h, "o1", OrderEvent.PAID, "80.00", paid);
        assertThat(tallies(h, OrderLedger.NET)).containsExactly(net("organic", 8000, paid));
        assertThat(tallies(h, OrderLedger.DAY)).containsExactly(
                "total " + OrderSums.PAYING_USERS + " 1 @ 2026-11-11T00:00",
                "total " + OrderSums.BUYERS_30D + " 1 @ 2026-11-11T00:00 x30");
    }

    @Test
    void aCancellationOfAnOrderNeverPaidChangesNoMoney() throws Exception {
        var h = harness();
        order(h, "o1", OrderEvent.CREATED, "80.00", at(0, 10, 0));
        order(h, "o1", OrderEvent.CANCELLED, "80.00", at(0, 10, 20));
        assertThat(tallies(h, OrderLedger.NET)).isEmpty();
        assertThat(tallies(h, null)).isEmpty();
        assertThat(tallies(h, OrderLedger.DAY)).isEmpty();
    }

    @Test
    void aCancellationAfterPaymentTakesWhatIsLeftOffTheDayOfPaymentAndGivesItBackWhenItHappened() throws Exception {
        var h = harness();
        Instant paid = at(0, 10, 0);
        Instant cancelled = at(2, 9, 0);
        order(h, "o1", OrderEvent.PAID, "100.00", paid, "search");
        order(h, "o1", OrderEvent.REFUNDED, "10.00", at(1, 9, 0), "search");
        order(h, "o1", OrderEvent.CANCELLED, "100.00", cancelled, "social");
        assertThat(tallies(h, OrderLedger.NET)).containsExactly(net("search", 10000, paid),
                net("search", -1000, paid), net("search", -9000, paid));
        assertThat(tallies(h, null)).containsExactly("channel|social " + OrderSums.CANCELLED_PAID_CENTS + " 9000 @ "
                + cancelled.atZone(SHANGHAI).toLocalDateTime());
    }

    @Test
    void repurchaseCountsAUserOncePerRollingWindowAsBuyerAndOnceAsRepeatBuyer() throws Exception {
        var h = harness();
        order(h, "o1", OrderEvent.PAID, "10.00", at(0, 10, 0));
        order(h, "o2", OrderEvent.PAID, "10.00", at(0, 12, 0)); // same day: a repeat buyer from day 0 on
        order(h, "o3", OrderEvent.PAID, "10.00", at(10, 12, 0)); // two in the windows of days 10..29 already
        List<String> day = tallies(h, OrderLedger.DAY);
        assertThat(day).containsExactly(
                "total " + OrderSums.PAYING_USERS + " 1 @ 2026-11-11T00:00",
                "total " + OrderSums.BUYERS_30D + " 1 @ 2026-11-11T00:00 x30",
                "total " + OrderSums.REPEAT_BUYERS_30D + " 1 @ 2026-11-11T00:00 x30",
                "total " + OrderSums.PAYING_USERS + " 1 @ 2026-11-21T00:00",
                // days 10..29 hold three orders; from day 30 (2026-12-11) on o1 and o2 have left the window
                "total " + OrderSums.BUYERS_30D + " 1 @ 2026-12-11T00:00 x10");
    }

    @Test
    void anOrderIsForgottenAfterTheCorrectionHorizonAndALaterRefundChangesNoNetGmv() throws Exception {
        var h = harness();
        Instant paid = at(0, 10, 0);
        order(h, "o1", OrderEvent.PAID, "100.00", paid);
        long forget = paid.toEpochMilli() + 60_000 - 1 + LATENESS.toMillis() + HORIZON.toMillis();
        h.processWatermark(new Watermark(forget - 1));
        order(h, "o1", OrderEvent.REFUNDED, "10.00", Instant.ofEpochMilli(forget - 1));
        h.processWatermark(new Watermark(forget));
        order(h, "o1", OrderEvent.REFUNDED, "20.00", Instant.ofEpochMilli(forget));
        assertThat(tallies(h, OrderLedger.NET)).containsExactly(net("organic", 10000, paid),
                net("organic", -1000, paid));
        long lastRepurchaseDay = DAY_0.plusDays(30).atStartOfDay(SHANGHAI).toInstant().toEpochMilli() - 1
                + LATENESS.toMillis();
        h.processWatermark(new Watermark(Math.max(lastRepurchaseDay, forget + HORIZON.toMillis() + 120_000)));
        assertThat(h.numKeyedStateEntries()).isZero();
    }
}
