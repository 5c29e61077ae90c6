package dev.pulse.ads;

import dev.pulse.ingestion.EventIds;
import dev.pulse.model.OrderEvent;
import dev.pulse.orders.OrderSums;
import dev.pulse.time.PendingTimer;
import dev.pulse.window.Tally;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Attribution of one user's paid orders to ad campaigns, fed the user's order events where they are (ingestion keys
 * orders by user) and the click candidates of the order's user and device ({@link LastAdClicks}). An order paid
 * first at p is a conversion of the campaign of the latest candidate for that payment (the last click within the
 * window before it, by the user or by the anonymous visitor of the device it was paid from), credited to the
 * campaign's business day of p with the order's net amount (paid less refunded, never below zero; zero once
 * cancelled), as net GMV is; and a first-time buyer of that campaign when the user paid no other order in the buyer
 * lookback before it. Whatever the arrival order, what is credited is a function of the events: the operator keeps
 * what it credited per order and sends the difference when an event or candidate changes it (a refund next week
 * restates the day of the payment; a late earlier payment moves the credit).
 *
 * <p>An order is remembered for the correction horizon after its payment (or its newest event, if unpaid); a
 * payment for the buyer lookback. State: one {@link BuyerAttribution} per user and one pending timer.
 */
public class AdAttribution extends KeyedCoProcessFunction<String, OrderEvent, ClickCandidate, Tally> {
    private static final long serialVersionUID = 1L;
    private static final long NONE = Long.MIN_VALUE;

    // the fields of an order
    static final int ID = 0;
    private static final int PAID_AT = 1;
    private static final int PAID_CENTS = 2;
    private static final int REFUNDED_CENTS = 3;
    private static final int CANCELLED = 4;
    private static final int LAST_SEEN = 5;
    /** The payment the candidate is for, and the candidate click's time. */
    private static final int CANDIDATE_PAID_AT = 6;
    private static final int CANDIDATE_AT = 7;
    private static final int CREDITED_AT = 8;
    private static final int CREDITED_CENTS = 9;
    private static final int CREDITED_BUYER = 10;
    static final int FIELDS = 11;

    private final long allowedLatenessMs;
    private final long correctionHorizonMs;
    private final long buyerLookbackMs;
    private transient ValueState<BuyerAttribution> user;

    public AdAttribution(Duration allowedLateness, Duration correctionHorizon, Duration buyerLookback) {
        this.allowedLatenessMs = allowedLateness.toMillis();
        this.correctionHorizonMs = correctionHorizon.toMillis();
        this.buyerLookbackMs = buyerLookback.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        user = getRuntimeContext().getState(new ValueStateDescriptor<>("ad-attribution",
                TypeInformation.of(BuyerAttribution.class)));
    }

    @Override
    public void processElement1(OrderEvent event, Context ctx, Collector<Tally> out) throws Exception {
        if (event.status.equals(OrderEvent.CREATED) || event.status.equals(OrderEvent.PAYMENT_FAILED)) {
            return; // they change nothing credited
        }
        BuyerAttribution b = state();
        long hash = EventIds.hash(event.orderId);
        int o = b.order(hash, AdAttribution::newOrder);
        long time = event.eventTime().toEpochMilli();
        switch (event.status) {
            case OrderEvent.PAID -> {
                if (b.get(o, PAID_AT) == NONE || time < b.get(o, PAID_AT)) {
                    b.set(o, PAID_AT, time);
                }
                b.set(o, PAID_CENTS, b.get(o, PAID_CENTS) + OrderSums.cents(event.amount));
                b.paid(hash, b.get(o, PAID_AT));
            }
            case OrderEvent.REFUNDED -> b.set(o, REFUNDED_CENTS, b.get(o, REFUNDED_CENTS)
                    + OrderSums.cents(event.amount));
            default -> b.set(o, CANCELLED, 1);
        }
        b.set(o, LAST_SEEN, Math.max(b.get(o, LAST_SEEN), time));
        creditAll(b, out);
        save(b, ctx);
    }

    @Override
    public void processElement2(ClickCandidate c, Context ctx, Collector<Tally> out) throws Exception {
        BuyerAttribution b = state();
        int o = b.order(c.orderHash, AdAttribution::newOrder);
        long forPayment = b.get(o, CANDIDATE_PAID_AT);
        // a candidate for an earlier payment replaces one for a later; for the same payment, the later click wins
        if (forPayment == NONE || c.paidAt < forPayment || (c.paidAt == forPayment && ClickCandidate.later(
                c.clickedAt, c.campaign, b.get(o, CANDIDATE_AT), b.candidateCampaigns[o]))) {
            b.set(o, CANDIDATE_PAID_AT, c.paidAt);
            b.set(o, CANDIDATE_AT, c.clickedAt);
            b.candidateCampaigns[o] = c.campaign;
        }
        b.set(o, LAST_SEEN, Math.max(b.get(o, LAST_SEEN), c.paidAt));
        creditAll(b, out);
        save(b, ctx);
    }

    /** Sends what changed of every order's credit (a payment can make a later order no first purchase). */
    private void creditAll(BuyerAttribution b, Collector<Tally> out) {
        for (int o = 0; o < b.orderCount(); o++) {
            long paidAt = b.get(o, PAID_AT);
            boolean converted = paidAt != NONE && b.get(o, CANDIDATE_PAID_AT) == paidAt;
            String campaign = converted ? b.candidateCampaigns[o] : null;
            long cents = !converted || b.get(o, CANCELLED) == 1 ? 0
                    : Math.max(0, b.get(o, PAID_CENTS) - b.get(o, REFUNDED_CENTS));
            long buyer = converted && b.firstPurchase(b.get(o, ID), paidAt, buyerLookbackMs) ? 1 : 0;
            String creditedCampaign = b.creditedCampaigns[o];
            long creditedAt = b.get(o, CREDITED_AT);
            if (!Objects.equals(campaign, creditedCampaign) || (converted && paidAt != creditedAt)) {
                if (creditedCampaign != null) {
                    send(out, creditedCampaign, creditedAt, -1, -b.get(o, CREDITED_CENTS), -b.get(o, CREDITED_BUYER));
                }
                if (converted) {
                    send(out, campaign, paidAt, 1, cents, buyer);
                }
            } else if (converted) {
                send(out, campaign, paidAt, 0, cents - b.get(o, CREDITED_CENTS), buyer - b.get(o, CREDITED_BUYER));
            }
            b.creditedCampaigns[o] = campaign;
            b.set(o, CREDITED_AT, converted ? paidAt : NONE);
            b.set(o, CREDITED_CENTS, cents);
            b.set(o, CREDITED_BUYER, buyer);
        }
    }

    private static void send(Collector<Tally> out, String campaign, long at, long conversions, long cents,
                             long buyers) {
        String key = AdSums.campaignKey(campaign);
        // a new conversion always sends its count, so the campaign's day exists even if its net is zero
        if (conversions != 0) {
            out.collect(new Tally(key, AdSums.CONVERSIONS, conversions, at));
        }
        if (cents != 0) {
            out.collect(new Tally(key, AdSums.ATTRIBUTED_CENTS, cents, at));
        }
        if (buyers != 0) {
            out.collect(new Tally(key, AdSums.FIRST_TIME_BUYERS, buyers, at));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Tally> out) throws Exception {
        BuyerAttribution b = user.value();
        if (b == null) {
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        b.timer = PendingTimer.afterFiring(b.timer, watermark);
        b.retainOrders(o -> orderForgetAt(b, o) >= watermark);
        b.retainPayments(at -> paymentForgetAt(at) >= watermark);
        if (b.isEmpty()) {
            user.clear();
            return;
        }
        save(b, ctx);
    }

    private BuyerAttribution state() throws Exception {
        BuyerAttribution b = user.value();
        return b == null ? new BuyerAttribution() : b;
    }

    private void save(BuyerAttribution b, Context ctx) throws Exception {
        long due = Long.MAX_VALUE;
        for (int o = 0; o < b.orderCount(); o++) {
            due = Math.min(due, orderForgetAt(b, o) + 1);
        }
        for (int i = 0; i < b.payments.length; i += 2) {
            due = Math.min(due, paymentForgetAt(b.payments[i]) + 1);
        }
        b.timer = PendingTimer.schedule(ctx.timerService(), b.timer, due);
        user.update(b);
    }

    private static long[] newOrder(long hash) {
        long[] order = new long[FIELDS];
        Arrays.fill(order, NONE);
        order[ID] = hash;
        order[PAID_CENTS] = 0;
        order[REFUNDED_CENTS] = 0;
        order[CANCELLED] = 0;
        order[CREDITED_CENTS] = 0;
        order[CREDITED_BUYER] = 0;
        return order;
    }

    /**
     * The last watermark at which an event can still change the order's credit: the correction horizon after its
     * payment, or after its newest event if it was never paid.
     */
    private long orderForgetAt(BuyerAttribution b, int o) {
        long reference = b.get(o, PAID_AT) != NONE ? b.get(o, PAID_AT) : b.get(o, LAST_SEEN);
        return reference + allowedLatenessMs + correctionHorizonMs;
    }

    /** The last watermark at which an order this payment makes no first purchase can still be admitted. */
    private long paymentForgetAt(long paidAt) {
        return paidAt + buyerLookbackMs + allowedLatenessMs;
    }
}
