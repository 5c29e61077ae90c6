package dev.pulse.risk;

import static dev.pulse.risk.RiskRule.AMOUNT_OUTLIER;
import static dev.pulse.risk.RiskRule.BURST;
import static dev.pulse.risk.RiskRule.CANCEL_CHURN;
import static dev.pulse.risk.RiskRule.COUPON_ABUSE;
import static dev.pulse.risk.RiskRule.MULTI_ADDRESS;
import static dev.pulse.risk.RiskRule.PAYMENT_FAILURE_STREAK;

import dev.pulse.ingestion.EventIds;
import dev.pulse.model.AlertRecord;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.OrderEvent;
import dev.pulse.time.PendingTimer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.IntToLongFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.TimeUtils;

/**
 * The risk rules keyed by user, in one operator over the user's admitted orders (where ingestion left them, keyed
 * by user) and register clicks: multi-address, burst, amount outlier, cancel churn, payment-failure streak and
 * coupon abuse. Each rule is checked when an event arrives, so an alert leaves with the event that completes it
 * (no wait for the watermark); events may arrive in any order within the allowed lateness, and a window is judged
 * on event times. A rule that fired on a user stays quiet for events within its suppression of the firing.
 *
 * <p>In event-time order ({@code inEventTimeOrder}), the final alerts: each event waits until the watermark passes
 * its time and the rules then judge the user's events in time order (registrations first at a tie, then by event
 * id), as a recomputation over the same events would, so how the partitions interleave a user's orders changes
 * nothing. On arrival, the live alerts: at once, but their window and evidence follow the order of arrival.
 *
 * <p>State: one {@link RiskMarks} per user with counted events, kept until no admitted event can fall in a window
 * with them (event time + window + allowed lateness), and one pending timer that clears it.
 */
public class UserRiskRules extends KeyedCoProcessFunction<String, OrderEvent, ClickEvent, AlertRecord> {
    private static final long serialVersionUID = 1L;
    static final byte CREATED = 1;
    static final byte PAID = 2;
    static final byte FAILED = 3;
    static final byte CANCELLED_UNPAID = 4;
    /** A payment with a discount share above coupon abuse's threshold, by a user not (yet) seen registering. */
    static final byte DISCOUNTED = 5;
    /** A cancellation that came before its order's creation (out of order): judged when the creation comes. */
    static final byte CANCELLED_EARLY = 6;

    private final RiskRules rules;
    private final String salt;
    private final long latenessMs;
    private final boolean inEventTimeOrder;
    private transient ValueState<RiskMarks> marks;
    /** In event-time order: the events waiting for the watermark, by event time (each time has a timer). */
    private transient MapState<Long, List<OrderEvent>> pendingOrders;
    private transient MapState<Long, List<ClickEvent>> pendingRegistrations;
    private transient AlertMaker alerts;
    private transient long[] keepMs;
    private transient long[] quietMs;

    /** Judging each event as it arrives: the live alerts. */
    public UserRiskRules(RiskRules rules, String salt, Duration allowedLateness) {
        this(rules, salt, allowedLateness, false);
    }

    public UserRiskRules(RiskRules rules, String salt, Duration allowedLateness, boolean inEventTimeOrder) {
        this.rules = rules;
        this.salt = salt;
        this.latenessMs = allowedLateness.toMillis();
        this.inEventTimeOrder = inEventTimeOrder;
    }

    @Override
    public void open(OpenContext openContext) {
        marks = getRuntimeContext().getState(new ValueStateDescriptor<>("risk-marks",
                TypeInformation.of(RiskMarks.class)));
        if (inEventTimeOrder) {
            pendingOrders = getRuntimeContext().getMapState(new MapStateDescriptor<>("risk-pending-orders",
                    Types.LONG, Types.LIST(TypeInformation.of(OrderEvent.class))));
            pendingRegistrations = getRuntimeContext().getMapState(new MapStateDescriptor<>(
                    "risk-pending-registrations", Types.LONG, Types.LIST(TypeInformation.of(ClickEvent.class))));
        }
        alerts = new AlertMaker(salt);
        keepMs = new long[CANCELLED_EARLY + 1];
        keepMs[CREATED] = longest(BURST, MULTI_ADDRESS, CANCEL_CHURN);
        keepMs[PAID] = longest(AMOUNT_OUTLIER, CANCEL_CHURN);
        keepMs[FAILED] = longest(PAYMENT_FAILURE_STREAK);
        keepMs[CANCELLED_UNPAID] = longest(CANCEL_CHURN);
        quietMs = rules.quietMs(Duration.ofMillis(latenessMs));
    }

    @Override
    public void processElement1(OrderEvent o, Context ctx, Collector<AlertRecord> out) throws Exception {
        if (inEventTimeOrder) {
            wait(pendingOrders, o.eventTime.toEpochMilli(), o, ctx);
        } else {
            onOrder(o, ctx, out);
        }
    }

    /** A register click of the user: its first registration is what makes an account brand-new. */
    @Override
    public void processElement2(ClickEvent click, Context ctx, Collector<AlertRecord> out) throws Exception {
        if (inEventTimeOrder) {
            wait(pendingRegistrations, click.eventTime.toEpochMilli(), click, ctx);
        } else {
            onRegistration(click, ctx, out);
        }
    }

    private void onOrder(OrderEvent o, Context ctx, Collector<AlertRecord> out) throws Exception {
        long t = o.eventTime.toEpochMilli();
        long order = EventIds.hash(o.orderId);
        RiskMarks m;
        switch (o.status) {
            case OrderEvent.CREATED -> {
                m = state();
                m.add(t, CREATED, order, o.addressHash == null ? 0 : EventIds.hash(o.addressHash), o.orderId);
                count(m, MULTI_ADDRESS, i -> m.kind[i] == CREATED && m.value[i] != 0, i -> m.value[i], t, o.userId,
                        out);
                count(m, BURST, i -> m.kind[i] == CREATED, i -> m.orderHash[i], t, o.userId, out);
                amountOutlier(m, o, t, out);
                int early = m.indexOf(CANCELLED_EARLY, order);
                if (early >= 0) {
                    long cancelledAt = m.at[early];
                    m.retain(i -> i != early);
                    cancelled(m, order, o.orderId, cancelledAt, o.userId, out);
                }
            }
            case OrderEvent.PAID -> {
                m = state();
                m.add(t, PAID, order, cents(o.amount), null);
                couponAbuse(m, o, t, out);
            }
            case OrderEvent.PAYMENT_FAILED -> {
                m = state();
                // every failed attempt counts: its own event id is the distinct value
                m.add(t, FAILED, order, EventIds.hash(o.eventId), o.orderId);
                count(m, PAYMENT_FAILURE_STREAK, i -> m.kind[i] == FAILED, i -> m.value[i], t, o.userId, out);
            }
            case OrderEvent.CANCELLED -> {
                if (!rules.enabled(CANCEL_CHURN)) {
                    return;
                }
                m = state();
                if (m.has(CREATED, order)) {
                    cancelled(m, order, o.orderId, t, o.userId, out);
                } else if (!m.has(CANCELLED_EARLY, order)) {
                    m.add(t, CANCELLED_EARLY, order, order, o.orderId);
                }
            }
            default -> {
                return; // refunds: no rule counts them
            }
        }
        save(m, ctx);
    }

    private void onRegistration(ClickEvent click, Context ctx, Collector<AlertRecord> out) throws Exception {
        long t = click.eventTime.toEpochMilli();
        RiskMarks m = state();
        if (m.registeredAt != RiskMarks.NONE && m.registeredAt <= t) {
            return;
        }
        m.registeredAt = t;
        // payments that came before their registration (out of order) are judged now
        for (int i = 0; i < m.size(); i++) {
            if (m.kind[i] == DISCOUNTED && brandNew(m, m.at[i])) {
                couponAlert(m, i, click.userId, out);
            }
        }
        save(m, ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertRecord> out) throws Exception {
        // what is forgotten is what no event still to judge can need: past the watermark when events are judged
        // as they arrive; in event-time order, past this timer's time (the waiting events are all later)
        long watermark = inEventTimeOrder ? timestamp : ctx.timerService().currentWatermark();
        if (inEventTimeOrder) {
            judgeDue(timestamp, ctx, out);
        }
        RiskMarks m = marks.value();
        if (m == null) {
            return;
        }
        m.timer = PendingTimer.afterFiring(m.timer, watermark);
        m.retain(i -> forgetAt(m.kind[i], m.at[i]) >= watermark);
        if (m.registeredAt != RiskMarks.NONE && registrationForgetAt(m.registeredAt) < watermark) {
            m.registeredAt = RiskMarks.NONE;
        }
        m.forgetFirings(quietMs, watermark);
        if (m.isEmpty()) {
            marks.clear();
            return;
        }
        save(m, ctx);
    }

    /** An event to judge when the watermark passes its time: a timer there (late, the next watermark fires it). */
    private static <T> void wait(MapState<Long, List<T>> pending, long time, T event, Context ctx) throws Exception {
        List<T> at = pending.get(time);
        List<T> events = at == null ? new ArrayList<>() : new ArrayList<>(at);
        events.add(event);
        pending.put(time, events);
        ctx.timerService().registerEventTimeTimer(time);
    }

    /**
     * The events waiting at the timer's time, judged: registrations first (the account exists from then), then the
     * orders, each by event id. Timers fire in time order, so the user's events are judged in time order, and an
     * alert leaves stamped with the time of the event that completed it (what its count per minute and day is
     * bucketed by).
     */
    private void judgeDue(long timestamp, Context ctx, Collector<AlertRecord> out) throws Exception {
        List<ClickEvent> registrations = pendingRegistrations.get(timestamp);
        if (registrations != null) {
            pendingRegistrations.remove(timestamp);
            for (ClickEvent c : byId(registrations, c -> c.eventId)) {
                onRegistration(c, ctx, out);
            }
        }
        List<OrderEvent> orders = pendingOrders.get(timestamp);
        if (orders != null) {
            pendingOrders.remove(timestamp);
            for (OrderEvent o : byId(orders, o -> o.eventId)) {
                onOrder(o, ctx, out);
            }
        }
    }

    private static <T> List<T> byId(List<T> events, Function<T, String> id) {
        List<T> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(id));
        return sorted;
    }

    /** A counting rule: fires when a window with the new event reaches the threshold. */
    private void count(RiskMarks m, RiskRule rule, IntPredicate counts, IntToLongFunction distinctBy, long t,
                       String userId, Collector<AlertRecord> out) {
        RuleSettings s = rules.of(rule);
        if (s.enabled()) {
            AlertRecord alert = WindowMatch.fire(m, rule, s, counts, distinctBy, t,
                    alerts.key(RiskRule.KeyKind.USER, userId), alerts);
            if (alert != null) {
                out.collect(alert);
            }
        }
    }

    /** An order above the cap, or above the factor times the mean of the user's paid orders in the history. */
    private void amountOutlier(RiskMarks m, OrderEvent o, long t, Collector<AlertRecord> out) {
        RuleSettings s = rules.of(AMOUNT_OUTLIER);
        if (!s.enabled() || suppressed(m, AMOUNT_OUTLIER, t)) {
            return;
        }
        long since = t - s.window().toMillis();
        long paid = 0;
        long paidCents = 0;
        for (int i = 0; i < m.size() && m.at[i] < t; i++) {
            if (m.kind[i] == PAID && m.at[i] >= since) {
                paid++;
                paidCents += m.value[i];
            }
        }
        BigDecimal amount = o.amount;
        boolean overCap = amount.compareTo(s.cap()) > 0;
        // amount > factor * mean, as amount * n > factor * sum: exact, no division
        boolean aboveHistory = paid > 0 && amount.movePointRight(2).multiply(BigDecimal.valueOf(paid))
                .compareTo(s.threshold().multiply(BigDecimal.valueOf(paidCents))) > 0;
        if (!overCap && !aboveHistory) {
            return;
        }
        m.fired(AMOUNT_OUTLIER, t);
        String detail = paid == 0 ? "above the cap of " + s.cap().toPlainString()
                : String.format("%.2f times the mean of %d paid order%s in %s (%s)%s",
                        amount.movePointRight(2).doubleValue() * paid / paidCents, paid, paid == 1 ? "" : "s",
                        window(s), BigDecimal.valueOf(paidCents).movePointLeft(2)
                                .divide(BigDecimal.valueOf(paid), MathContext.DECIMAL64).toPlainString(),
                        overCap ? ", above the cap of " + s.cap().toPlainString() : "");
        out.collect(alerts.alert(AMOUNT_OUTLIER, s, alerts.key(RiskRule.KeyKind.USER, o.userId), since, t, t,
                List.of(o.orderId), 1, amount, detail));
    }

    private void couponAbuse(RiskMarks m, OrderEvent o, long t, Collector<AlertRecord> out) {
        RuleSettings s = rules.of(COUPON_ABUSE);
        BigDecimal discount = o.discount == null ? BigDecimal.ZERO : o.discount;
        BigDecimal full = o.amount.add(discount);
        if (!s.enabled() || full.signum() <= 0 || discount.compareTo(full.multiply(s.threshold())) <= 0) {
            return;
        }
        m.add(t, DISCOUNTED, EventIds.hash(o.orderId), cents(discount), o.orderId);
        if (brandNew(m, t)) {
            couponAlert(m, m.indexOf(DISCOUNTED, EventIds.hash(o.orderId)), o.userId, out);
        }
    }

    private void couponAlert(RiskMarks m, int i, String userId, Collector<AlertRecord> out) {
        RuleSettings s = rules.of(COUPON_ABUSE);
        long t = m.at[i];
        if (suppressed(m, COUPON_ABUSE, t)) {
            return;
        }
        m.fired(COUPON_ABUSE, t);
        BigDecimal discount = BigDecimal.valueOf(m.value[i]).movePointLeft(2);
        out.collect(alerts.alert(COUPON_ABUSE, s, alerts.key(RiskRule.KeyKind.USER, userId), m.registeredAt, t, t,
                List.of(m.orderIds[i]), 1, discount, "discount " + discount.toPlainString() + " above "
                        + s.threshold().movePointRight(2).stripTrailingZeros().toPlainString()
                        + " % of the price, paid " + Duration.ofMillis(t - m.registeredAt).toMinutes()
                        + " min after registering"));
    }

    private boolean brandNew(RiskMarks m, long paidAt) {
        return m.registeredAt != RiskMarks.NONE && m.registeredAt <= paidAt
                && paidAt - m.registeredAt <= rules.of(COUPON_ABUSE).window().toMillis();
    }

    /** A cancellation counts for cancel churn when its order was created within the window and never paid. */
    private void cancelled(RiskMarks m, long order, String orderId, long t, String userId,
                           Collector<AlertRecord> out) {
        int created = m.indexOf(CREATED, order);
        boolean fresh = m.at[created] <= t && t - m.at[created] <= rules.of(CANCEL_CHURN).window().toMillis();
        if (fresh && !m.has(PAID, order) && !m.has(CANCELLED_UNPAID, order)) {
            m.add(t, CANCELLED_UNPAID, order, order, orderId);
            count(m, CANCEL_CHURN, i -> m.kind[i] == CANCELLED_UNPAID, i -> m.orderHash[i], t, userId, out);
        }
    }

    private boolean suppressed(RiskMarks m, RiskRule rule, long t) {
        return m.suppressed(rule, t, rules.of(rule).suppression().toMillis());
    }

    private RiskMarks state() throws Exception {
        RiskMarks m = marks.value();
        return m == null ? new RiskMarks() : m;
    }

    private void save(RiskMarks m, Context ctx) throws Exception {
        long due = Long.MAX_VALUE;
        for (int i = 0; i < m.size(); i++) {
            due = Math.min(due, forgetAt(m.kind[i], m.at[i]) + 1);
        }
        if (m.registeredAt != RiskMarks.NONE) {
            due = Math.min(due, registrationForgetAt(m.registeredAt) + 1);
        }
        for (RiskRule rule : RiskRule.values()) {
            if (m.firedAt(rule) != RiskMarks.NONE) {
                due = Math.min(due, m.firedAt(rule) + quietMs[rule.ordinal()] + 1);
            }
        }
        m.timer = PendingTimer.schedule(ctx.timerService(), m.timer, due);
        marks.update(m);
    }

    /** The last watermark at which an admitted event can still fall in a window with this one. */
    private long forgetAt(byte kind, long at) {
        return at + keepMs[kind] + latenessMs;
    }

    private long registrationForgetAt(long registeredAt) {
        return registeredAt + rules.of(COUPON_ABUSE).window().toMillis() + latenessMs;
    }

    private long longest(RiskRule... of) {
        long longest = 0;
        for (RiskRule rule : of) {
            if (rules.enabled(rule)) {
                longest = Math.max(longest, rules.of(rule).window().toMillis());
            }
        }
        return longest;
    }

    private static String window(RuleSettings s) {
        return TimeUtils.formatWithHighestUnit(s.window());
    }

    private static long cents(BigDecimal amount) {
        return amount.movePointRight(2).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
}
