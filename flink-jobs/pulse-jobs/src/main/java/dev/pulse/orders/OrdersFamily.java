package dev.pulse.orders;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import dev.pulse.pipeline.MetricFamily;
import dev.pulse.time.Period;
import dev.pulse.time.TimePolicy;
import dev.pulse.window.PartialSums;
import dev.pulse.window.PeriodAggregation;
import dev.pulse.window.PreAggregate;
import dev.pulse.window.WindowValues;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.KeyedStream;

/**
 * Orders: orders created, orders paid and GMV (sum of paid amounts), by channel, per event-time minute and per
 * business day ("today so far"). A period and channel with any created or paid order reports all three values.
 * Money is summed in cents (ingestion admits at most two decimals and bounded amounts), so sums are exact.
 */
public final class OrdersFamily implements MetricFamily {
    private static final int CREATED = 0;
    private static final int PAID = 1;
    private static final int PAID_CENTS = 2;

    private final String currency;

    public OrdersFamily(String currency) {
        this.currency = currency;
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
        KeyedStream<PartialSums, String> partials = PeriodAggregation.byKey(admitted.orders()
                .transform("orders-partial", TypeInformation.of(PartialSums.class),
                        new PreAggregate<OrderEvent>((o, to) -> {
                            if (OrderEvent.CREATED.equals(o.status)) {
                                to.add(o.channel, 1, 0, 0);
                            } else if (OrderEvent.PAID.equals(o.status)) {
                                to.add(o.channel, 0, 1, o.amount.movePointRight(2).longValue());
                            }
                        }, Period.MINUTE, time.businessTime()))
                .uid("orders-partial"));
        PeriodAggregation.Result perMinute = PeriodAggregation.aggregate(partials, Period.MINUTE,
                values(MetricDefinition.ORDERS_CREATED, MetricDefinition.ORDERS_PAID, MetricDefinition.GMV),
                Stream.ORDER, "orders-per-minute", time);
        PeriodAggregation.Result perDay = PeriodAggregation.aggregate(partials, Period.DAY,
                values(MetricDefinition.ORDERS_CREATED_DAY, MetricDefinition.ORDERS_PAID_DAY, MetricDefinition.GMV_DAY),
                Stream.ORDER, "orders-per-day", time);
        return new Output(List.of(perMinute.values(), perDay.values()),
                List.of(perMinute.tooLate(), perDay.tooLate()));
    }

    private WindowValues values(MetricDefinition created, MetricDefinition paid, MetricDefinition gmv) {
        String reportingCurrency = currency;
        return (channel, sums, out) -> {
            out.value(created.recordName(), Map.of("channel", channel), sums[CREATED]);
            out.value(paid.recordName(), Map.of("channel", channel), sums[PAID]);
            out.value(gmv.recordName(), Map.of("channel", channel, "currency", reportingCurrency),
                    sums[PAID_CENTS] / 100.0);
        };
    }
}
