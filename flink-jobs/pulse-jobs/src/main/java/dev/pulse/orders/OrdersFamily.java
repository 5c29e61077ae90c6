package dev.pulse.orders;

import static dev.pulse.window.WindowValues.sum;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.ingestion.VisitorKeys;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import dev.pulse.pipeline.MetricFamily;
import dev.pulse.time.Period;
import dev.pulse.time.TimePolicy;
import dev.pulse.window.Contribution;
import dev.pulse.window.PartialSums;
import dev.pulse.window.PeriodAggregation;
import dev.pulse.window.PreAggregate;
import dev.pulse.window.Tally;
import dev.pulse.window.WindowValues;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Orders and money, per event-time minute and per business day ("today so far"): orders created and paid, GMV,
 * failed payments, cancellations, refunds and the money refunded, by channel; AOV, payment success, cancellation
 * and refund rates over all channels; per day, paying users and the repurchase rate over 30 days; and net GMV
 * (GMV less refunds and cancellations, credited to the payment's minute and day, restated when they come within
 * the correction horizon). Counts that need no history are added up before the shuffle straight from the events;
 * what needs an order's or a user's history comes from the {@link OrderLedger}, which reads the admitted orders
 * where they are (keyed by user).
 */
public final class OrdersFamily implements MetricFamily {
    private final String currency;
    private final Duration correctionHorizon;

    public OrdersFamily(String currency, Duration correctionHorizon) {
        this.currency = currency;
        this.correctionHorizon = correctionHorizon;
    }

    @Override
    public String name() {
        return "orders";
    }

    @Override
    public Set<Stream> inputs() {
        return Set.of(Stream.ORDER);
    }

    @Override
    public Period smallestPeriod() {
        return Period.MINUTE;
    }

    @Override
    public Output build(Admitted admitted, TimePolicy time) {
        SingleOutputStreamOperator<Tally> ledger = DataStreamUtils.reinterpretAsKeyedStream(admitted.orders(),
                        VisitorKeys.<OrderEvent>selector(Stream.ORDER), TypeInformation.of(String.class))
                .process(new OrderLedger(time.allowedLateness(), correctionHorizon, time.businessTime()),
                        TypeInformation.of(Tally.class))
                .uid("order-ledger").name("order-ledger");
        DataStream<PartialSums> events = admitted.orders()
                .transform("orders-partial", TypeInformation.of(PartialSums.class),
                        new PreAggregate<>(OrdersFamily::addEvent, Period.MINUTE, time.businessTime()))
                .uid("orders-partial");
        // the day windows add up the same minute partials; only the tallies sent ahead to days are per day
        DataStream<PartialSums> minutePartials = events.union(
                Tally.preAggregate(ledger, Period.MINUTE, "ledger-minute-partial", time));
        KeyedStream<PartialSums, String> perMinute = PeriodAggregation.byKey(minutePartials);
        KeyedStream<PartialSums, String> perDay = PeriodAggregation.byKey(minutePartials.union(
                Tally.preAggregate(ledger.getSideOutput(OrderLedger.DAY), Period.DAY, "ledger-repurchase-partial",
                        time)));
        // a correction restates the payment's window: those windows wait the correction horizon longer
        TimePolicy correctable = time.withLateness(time.allowedLateness().plus(correctionHorizon));
        KeyedStream<PartialSums, String> net = PeriodAggregation.byKey(Tally.preAggregate(
                ledger.getSideOutput(OrderLedger.NET), Period.MINUTE, "net-gmv-partial", time));
        List<PeriodAggregation.Result> results = List.of(
                PeriodAggregation.aggregate(perMinute, Period.MINUTE, values(false), Stream.ORDER,
                        "orders-per-minute", time),
                PeriodAggregation.aggregate(perDay, Period.DAY, values(true), Stream.ORDER, "orders-per-day", time),
                PeriodAggregation.aggregate(net, Period.MINUTE, netValues(), Stream.ORDER, "net-gmv-per-minute",
                        correctable),
                PeriodAggregation.aggregate(net, Period.DAY, netValues(), Stream.ORDER, "net-gmv-per-day",
                        correctable));
        return Output.of(results);
    }

    /** What an order event adds by itself, to its channel and to the total. */
    private static void addEvent(OrderEvent o, Contribution.Sink to) {
        int slot;
        long cents = 0;
        switch (o.status) {
            case OrderEvent.CREATED -> slot = OrderSums.CREATED;
            case OrderEvent.PAID -> {
                slot = OrderSums.PAID;
                cents = OrderSums.cents(o.amount);
            }
            case OrderEvent.PAYMENT_FAILED -> slot = OrderSums.FAILED;
            case OrderEvent.CANCELLED -> slot = OrderSums.CANCELLED;
            case OrderEvent.REFUNDED -> {
                slot = OrderSums.REFUNDS;
                cents = OrderSums.cents(o.amount);
            }
            default -> {
                return; // ingestion admits only the schema's statuses
            }
        }
        String channel = OrderSums.channelKey(OrderSums.channelIndex(o.channel));
        for (String key : new String[] {channel, OrderSums.TOTAL}) {
            to.addAt(key, slot, 1);
            if (cents != 0) {
                to.addAt(key, slot + 1, cents); // PAID_CENTS after PAID, REFUNDED_CENTS after REFUNDS
            }
        }
    }

    /**
     * A channel with any order event in the window reports every count and amount (zeros too); the total reports
     * the rates whose denominator is not zero, and per day paying users and repurchase. A window whose sums came
     * only from days sent ahead (repurchase of a day not reached yet) reports nothing. Record names are the same
     * for both periods.
     */
    private WindowValues values(boolean perDay) {
        String money = currency;
        return (key, sums, out) -> {
            if (!hadEvents(sums)) {
                return;
            }
            String channel = OrderSums.channelOf(key);
            if (channel != null) {
                Map<String, String> labels = Map.of("channel", channel);
                Map<String, String> moneyLabels = Map.of("channel", channel, "currency", money);
                out.value(MetricDefinition.ORDERS_CREATED.recordName(), labels, sum(sums, OrderSums.CREATED));
                out.value(MetricDefinition.ORDERS_PAID.recordName(), labels, sum(sums, OrderSums.PAID));
                out.value(MetricDefinition.GMV.recordName(), moneyLabels, amount(sum(sums, OrderSums.PAID_CENTS)));
                out.value(MetricDefinition.PAYMENTS_FAILED.recordName(), labels, sum(sums, OrderSums.FAILED));
                out.value(MetricDefinition.ORDERS_CANCELLED.recordName(), labels, sum(sums, OrderSums.CANCELLED));
                out.value(MetricDefinition.REFUNDS.recordName(), labels, sum(sums, OrderSums.REFUNDS));
                out.value(MetricDefinition.REFUNDED_AMOUNT.recordName(), moneyLabels,
                        amount(sum(sums, OrderSums.REFUNDED_CENTS)));
                out.value(MetricDefinition.CANCELLED_PAID_AMOUNT.recordName(), moneyLabels,
                        amount(sum(sums, OrderSums.CANCELLED_PAID_CENTS)));
                return;
            }
            long paidOrders = sum(sums, OrderSums.PAID);
            if (paidOrders > 0) {
                // one division of two exact numbers: the double nearest the true average
                out.value(MetricDefinition.AOV.recordName(), Map.of("currency", money),
                        sum(sums, OrderSums.PAID_CENTS) / (100.0 * paidOrders));
            }
            ratio(out, MetricDefinition.PAYMENT_SUCCESS, paidOrders, paidOrders + sum(sums, OrderSums.FAILED));
            ratio(out, MetricDefinition.CANCELLATION_RATE, sum(sums, OrderSums.CANCELLED),
                    sum(sums, OrderSums.CREATED));
            ratio(out, MetricDefinition.REFUND_RATE, sum(sums, OrderSums.REFUNDS), paidOrders);
            if (perDay) {
                out.value(MetricDefinition.PAYING_USERS.recordName(), Map.of(), sum(sums, OrderSums.PAYING_USERS));
                ratio(out, MetricDefinition.REPURCHASE_RATE, sum(sums, OrderSums.REPEAT_BUYERS_30D),
                        sum(sums, OrderSums.BUYERS_30D));
            }
        };
    }

    private WindowValues netValues() {
        String money = currency;
        return (key, sums, out) -> out.value(MetricDefinition.NET_GMV.recordName(),
                Map.of("channel", OrderSums.channelOf(key), "currency", money), amount(sum(sums, OrderSums.NET_CENTS)));
    }

    private static boolean hadEvents(long[] sums) {
        for (int i = 0; i < Math.min(sums.length, OrderSums.EVENT_SLOTS); i++) {
            if (sums[i] != 0) {
                return true;
            }
        }
        return false;
    }

    private static void ratio(WindowValues.ValueSink out, MetricDefinition metric, long part, long whole) {
        if (whole > 0) {
            out.value(metric.recordName(), Map.of(), (double) part / whole);
        }
    }

    /** Cents as currency units; a double holds every sum of cents below 2^53 exactly enough to print. */
    private static double amount(long cents) {
        return cents / 100.0;
    }
}
