package dev.pulse.orders;

import dev.pulse.catalog.JobMetric;
import dev.pulse.ingestion.EventIds;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import dev.pulse.time.BusinessDays;
import dev.pulse.time.BusinessTime;
import dev.pulse.time.PendingTimer;
import dev.pulse.window.Tally;
import java.time.Duration;
import java.util.Arrays;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The orders of one user, fed the admitted order events where they are (ingestion keys orders by user). What
 * needs an order's history is decided here; counts that need none are made before the shuffle without it.
 *
 * <p>Net GMV: an order's net is its paid amount less its refunds (never below zero), or zero once it is
 * cancelled after payment. That is a function of the order's events, not of the order they arrive in, so the
 * ledger keeps what it credited and sends the difference whenever an event changes it, always to the minute (and
 * business day) of the order's payment ({@link #NET}): a refund next week restates the day it was paid. The money a
 * cancellation gives back is credited the same way to the cancellation's own time (main output, with the counts).
 * An order is remembered for the correction horizon after its payment (or its newest event, if unpaid); a refund
 * of an order not seen paid by then is counted when it happened, changes no net GMV, and is counted in
 * {@link JobMetric#ORDER_REFUNDS_UNMATCHED} when the order is forgotten.
 *
 * <p>State: one {@code long[]} per user ({@link UserLedger}) and one pending timer.
 *
 * <p>Paying users and repurchase ({@link #DAY}): the business days of the user's paid orders in the last
 * {@value #REPURCHASE_DAYS} days. A newly paid order on day d makes the user a paying user of d if it was none,
 * and for each day D of the {@value #REPURCHASE_DAYS} from d on, a buyer of D's rolling window if it had no paid
 * order there, a repeat buyer if it had one: each sent ahead, like MAU.
 */
public class OrderLedger extends KeyedProcessFunction<String, OrderEvent, Tally> {
    private static final long serialVersionUID = 1L;
    /** Net GMV changes, at the time of the order's payment. */
    public static final OutputTag<Tally> NET = new OutputTag<>("net-gmv-tallies", TypeInformation.of(Tally.class));
    /** Paying users and repurchase, per business day. */
    public static final OutputTag<Tally> DAY = new OutputTag<>("order-day-tallies", TypeInformation.of(Tally.class));
    static final int REPURCHASE_DAYS = 30;
    private static final long MINUTE_MS = 60_000;
    private static final long NONE = -1;

    // the fields of an order's long[]
    private static final int PAID_AT = 0;
    private static final int PAID_CENTS = 1;
    private static final int REFUNDED_CENTS = 2;
    private static final int CANCELLED_AT = 3;
    private static final int PAID_CHANNEL = 4;
    private static final int CANCEL_CHANNEL = 5;
    private static final int NET_CREDITED = 6;
    private static final int NET_CREDITED_AT = 7;
    private static final int NET_CREDITED_CHANNEL = 8;
    private static final int CANCEL_CREDITED = 9;
    private static final int CANCEL_CREDITED_AT = 10;
    private static final int CANCEL_CREDITED_CHANNEL = 11;
    private static final int LAST_SEEN = 12;
    static final int FIELDS = 13;

    private final long allowedLatenessMs;
    private final long correctionHorizonMs;
    private final BusinessTime businessTime;
    /** The user's ledger: see {@link UserLedger}. */
    private transient ValueState<long[]> ledger;
    private transient BusinessDays days;
    private transient Counter unmatched;

    public OrderLedger(Duration allowedLateness, Duration correctionHorizon, BusinessTime businessTime) {
        this.allowedLatenessMs = allowedLateness.toMillis();
        this.correctionHorizonMs = correctionHorizon.toMillis();
        this.businessTime = businessTime;
    }

    @Override
    public void open(OpenContext openContext) {
        ledger = getRuntimeContext().getState(new ValueStateDescriptor<>("ledger",
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        days = new BusinessDays(businessTime.zone());
        unmatched = JobMetric.ORDER_REFUNDS_UNMATCHED.register(getRuntimeContext().getMetricGroup(),
                Stream.ORDER.code());
    }

    @Override
    public void processElement(OrderEvent event, Context ctx, Collector<Tally> out) throws Exception {
        long time = event.eventTime().toEpochMilli();
        UserLedger user = UserLedger.of(ledger.value());
        long[] order = user.order(EventIds.hash(event.orderId), OrderLedger::newOrder);
        int channel = OrderSums.channelIndex(event.channel);
        boolean wasPaid = order[PAID_AT] != NONE;
        switch (event.status) {
            case OrderEvent.PAID -> {
                if (order[PAID_AT] == NONE) {
                    newlyPaid(user, days.dayOf(time), ctx);
                }
                if (order[PAID_AT] == NONE || time < order[PAID_AT]) {
                    order[PAID_AT] = time;
                    order[PAID_CHANNEL] = channel;
                }
                order[PAID_CENTS] += OrderSums.cents(event.amount);
            }
            case OrderEvent.REFUNDED -> order[REFUNDED_CENTS] += OrderSums.cents(event.amount);
            case OrderEvent.CANCELLED -> {
                if (order[CANCELLED_AT] == NONE || time < order[CANCELLED_AT]) {
                    order[CANCELLED_AT] = time;
                    order[CANCEL_CHANNEL] = channel;
                }
            }
            default -> { } // created, payment_failed: counted without the ledger
        }
        order[LAST_SEEN] = Math.max(order[LAST_SEEN], time);
        long paid = order[PAID_AT] == NONE ? 0 : order[PAID_CENTS];
        long kept = Math.max(0, paid - order[REFUNDED_CENTS]);
        boolean cancelled = order[CANCELLED_AT] != NONE;
        credit(order, NET_CREDITED, cancelled ? 0 : kept, order[PAID_AT], order[PAID_CHANNEL],
                OrderSums.NET_CENTS, ctx, NET, out);
        if (!wasPaid && order[PAID_AT] != NONE && order[NET_CREDITED] == 0) {
            // nothing to credit (a zero amount, or refunded before it was seen paid): still a window with a payment
            ctx.output(NET, new Tally(OrderSums.channelKey((int) order[PAID_CHANNEL]), OrderSums.NET_CENTS, 0,
                    order[PAID_AT]));
        }
        credit(order, CANCEL_CREDITED, cancelled ? kept : 0, order[CANCELLED_AT], order[CANCEL_CHANNEL],
                OrderSums.CANCELLED_PAID_CENTS, ctx, null, out);
        schedule(user, ctx);
        ledger.update(user.toArray());
    }

    /** An order not seen before: nothing paid, refunded or credited, no time known. */
    private static long[] newOrder() {
        long[] order = new long[FIELDS];
        Arrays.fill(order, NONE);
        order[PAID_CENTS] = 0;
        order[REFUNDED_CENTS] = 0;
        order[NET_CREDITED] = 0;
        order[CANCEL_CREDITED] = 0;
        return order;
    }

    /**
     * Sends what changed of one credited amount: the difference at the same time and channel, or, if its time or
     * channel moved (an earlier payment arrived late), the old credit taken back and the new one given.
     */
    private void credit(long[] order, int field, long amount, long at, long channel, int slot, Context ctx,
                        OutputTag<Tally> tag, Collector<Tally> out) {
        long credited = order[field];
        long creditedAt = order[field + 1];
        long creditedChannel = order[field + 2];
        if (amount == credited && (amount == 0 || (at == creditedAt && channel == creditedChannel))) {
            return;
        }
        if (credited != 0 && (at != creditedAt || channel != creditedChannel)) {
            send(tag, new Tally(OrderSums.channelKey((int) creditedChannel), slot, -credited, creditedAt), ctx, out);
            credited = 0;
        }
        if (amount != credited) {
            send(tag, new Tally(OrderSums.channelKey((int) channel), slot, amount - credited, at), ctx, out);
        }
        order[field] = amount;
        order[field + 1] = at;
        order[field + 2] = channel;
    }

    private static void send(OutputTag<Tally> tag, Tally tally, Context ctx, Collector<Tally> out) {
        if (tag == null) {
            out.collect(tally);
        } else {
            ctx.output(tag, tally);
        }
    }

    /** A paying user on the day; a buyer or repeat buyer of the rolling windows that day is in. */
    private void newlyPaid(UserLedger user, int day, Context ctx) {
        long watermark = ctx.timerService().currentWatermark();
        user.retainPaidDays(d -> lastAdmittedDay(d + REPURCHASE_DAYS - 1) > watermark);
        int[] known = user.paidDays;
        boolean paidThatDay = false;
        for (int d : known) {
            paidThatDay |= d == day;
        }
        if (!paidThatDay) {
            dayTally(ctx, OrderSums.PAYING_USERS, day, 1);
        }
        int runStart = day;
        int runSlot = -1;
        for (int target = day; target < day + REPURCHASE_DAYS; target++) {
            int inWindow = 0;
            for (int d : known) {
                if (d <= target && d > target - REPURCHASE_DAYS) {
                    inWindow++;
                }
            }
            int slot = inWindow == 0 ? OrderSums.BUYERS_30D : inWindow == 1 ? OrderSums.REPEAT_BUYERS_30D : -1;
            if (slot != runSlot) {
                if (runSlot >= 0) {
                    dayTally(ctx, runSlot, runStart, target - runStart);
                }
                runSlot = slot;
                runStart = target;
            }
        }
        if (runSlot >= 0) {
            dayTally(ctx, runSlot, runStart, day + REPURCHASE_DAYS - runStart);
        }
        user.addPaidDay(day);
    }

    private void dayTally(Context ctx, int slot, int day, int windows) {
        ctx.output(DAY, new Tally(OrderSums.TOTAL, slot, 1, days.startOf(day), windows));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Tally> out) throws Exception {
        long[] stored = ledger.value();
        if (stored == null) {
            return;
        }
        UserLedger user = UserLedger.of(stored);
        long watermark = ctx.timerService().currentWatermark();
        user.timer = PendingTimer.afterFiring(user.timer, watermark);
        user.retainOrders(order -> {
            boolean keep = forgetAt(order) > watermark;
            if (!keep && order[PAID_AT] == NONE && order[REFUNDED_CENTS] > 0) {
                unmatched.inc();
            }
            return keep;
        });
        user.retainPaidDays(d -> lastAdmittedDay(d + REPURCHASE_DAYS - 1) > watermark);
        if (user.isEmpty()) {
            ledger.clear();
            return;
        }
        schedule(user, ctx);
        ledger.update(user.toArray());
    }

    /** Registers a timer for the next order or paid day to forget, unless one is pending no later than that. */
    private void schedule(UserLedger user, Context ctx) {
        long due = Long.MAX_VALUE;
        for (long[] order : user.orders()) {
            due = Math.min(due, forgetAt(order));
        }
        for (int d : user.paidDays) {
            due = Math.min(due, lastAdmittedDay(d + REPURCHASE_DAYS - 1));
        }
        user.timer = PendingTimer.schedule(ctx.timerService(), user.timer, due);
    }

    /**
     * When the order can go: the correction horizon after its payment's minute could last count (the net GMV
     * windows accept corrections that long), or after its newest event if it was never paid.
     */
    private long forgetAt(long[] order) {
        long reference = order[PAID_AT] != NONE ? order[PAID_AT] : order[LAST_SEEN];
        return Math.floorDiv(reference, MINUTE_MS) * MINUTE_MS + MINUTE_MS - 1 + allowedLatenessMs
                + correctionHorizonMs;
    }

    /** The last watermark at which an event of this business day is still admitted. */
    private long lastAdmittedDay(int day) {
        return days.startOf(day + 1) - 1 + allowedLatenessMs;
    }
}
