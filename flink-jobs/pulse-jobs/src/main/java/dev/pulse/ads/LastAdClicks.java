package dev.pulse.ads;

import dev.pulse.model.AdEvent;
import dev.pulse.time.PendingTimer;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The ad clicks of one visitor (the user, or the device of an anonymous visitor), asked about the payments that
 * visitor may have brought: for a payment at time p, the latest of its clicks at c with {@code c <= p <= c +
 * window} is the visitor's candidate ({@link ClickCandidate}). Clicks and payments may arrive in any order: a
 * payment is remembered until no click before it can still be admitted (its time + the allowed lateness), and a
 * click that arrives later than a payment it beats is sent as the payment's new candidate. A click is remembered
 * until no payment it could be credited with can still be admitted (its time + the window + the lateness).
 *
 * <p>Fed the counted clicks where they are (ingestion keys ads by visitor) and the payments shuffled to the visitor
 * keys of their user and device. State: one {@link VisitorAdClicks} per visitor with ad clicks or payments, and one
 * pending timer.
 */
public class LastAdClicks extends KeyedCoProcessFunction<String, AdEvent, OrderPayment, ClickCandidate> {
    private static final long serialVersionUID = 1L;
    private static final long NONE = Long.MIN_VALUE;

    private final long windowMs;
    private final long allowedLatenessMs;
    private transient ValueState<VisitorAdClicks> visitor;

    public LastAdClicks(Duration window, Duration allowedLateness) {
        this.windowMs = window.toMillis();
        this.allowedLatenessMs = allowedLateness.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        visitor = getRuntimeContext().getState(new ValueStateDescriptor<>("ad-clicks",
                TypeInformation.of(VisitorAdClicks.class)));
    }

    @Override
    public void processElement1(AdEvent click, Context ctx, Collector<ClickCandidate> out) throws Exception {
        VisitorAdClicks v = state();
        long at = click.eventTime().toEpochMilli();
        String campaign = click.campaignId;
        for (int i = 0; i < v.payments(); i++) {
            long paid = v.paidAt[i];
            if (at <= paid && paid - at <= windowMs
                    && at >= v.bestAt[i]) { // a tie in time too: the attribution breaks it by campaign
                v.bestAt[i] = at;
                out.collect(new ClickCandidate(v.paymentUsers[i], v.paymentOrders[i], paid, at, campaign));
            }
        }
        v.addClick(at, campaign);
        save(v, ctx);
    }

    @Override
    public void processElement2(OrderPayment payment, Context ctx, Collector<ClickCandidate> out) throws Exception {
        VisitorAdClicks v = state();
        long best = NONE;
        String bestCampaign = null;
        for (int i = 0; i < v.clicks(); i++) {
            long at = v.clickedAt[i];
            if (at <= payment.paidAt && payment.paidAt - at <= windowMs
                    && (best == NONE || ClickCandidate.later(at, v.clickCampaigns[i], best, bestCampaign))) {
                best = at;
                bestCampaign = v.clickCampaigns[i];
            }
        }
        if (best != NONE) {
            out.collect(new ClickCandidate(payment.userId, payment.orderHash, payment.paidAt, best, bestCampaign));
        }
        v.addPayment(payment.orderHash, payment.paidAt, payment.userId, best);
        save(v, ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ClickCandidate> out) throws Exception {
        VisitorAdClicks v = visitor.value();
        if (v == null) {
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        v.timer = PendingTimer.afterFiring(v.timer, watermark);
        v.retainClicks(at -> clickForgetAt(at) >= watermark);
        v.retainPayments(paid -> paymentForgetAt(paid) >= watermark);
        if (v.isEmpty()) {
            visitor.clear();
            return;
        }
        save(v, ctx);
    }

    private VisitorAdClicks state() throws Exception {
        VisitorAdClicks v = visitor.value();
        return v == null ? new VisitorAdClicks() : v;
    }

    private void save(VisitorAdClicks v, Context ctx) throws Exception {
        long due = Long.MAX_VALUE;
        for (long at : v.clickedAt) {
            due = Math.min(due, clickForgetAt(at) + 1);
        }
        for (long paid : v.paidAt) {
            due = Math.min(due, paymentForgetAt(paid) + 1);
        }
        v.timer = PendingTimer.schedule(ctx.timerService(), v.timer, due);
        visitor.update(v);
    }

    /** The last watermark at which a payment this click could be credited with is still admitted. */
    private long clickForgetAt(long clickedAt) {
        return clickedAt + windowMs + allowedLatenessMs;
    }

    /** The last watermark at which a click before this payment is still admitted. */
    private long paymentForgetAt(long paidAt) {
        return paidAt + allowedLatenessMs;
    }
}
