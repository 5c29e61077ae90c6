package dev.pulse.orders;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.config.PulseSettings;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import dev.pulse.window.MinuteWindows;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Orders created, orders paid and GMV (sum of paid amounts) per event-time minute, by channel. A minute and
 * channel with any created or paid order reports all three values.
 */
public final class OrdersPerMinute {
    private OrdersPerMinute() {}

    public static MinuteWindows.Result compute(DataStream<OrderEvent> orders, PulseSettings settings) {
        String currency = settings.currency;
        return MinuteWindows.aggregate(
                orders.filter(o -> OrderEvent.CREATED.equals(o.status) || OrderEvent.PAID.equals(o.status))
                        .name("created-and-paid-only")
                        .keyBy(o -> o.channel),
                Stream.ORDER, "orders-per-minute", new SumOrders(),
                (channel, totals, out) -> {
                    out.value(MetricDefinition.ORDERS_CREATED.recordName(), Map.of("channel", channel), totals.created);
                    out.value(MetricDefinition.ORDERS_PAID.recordName(), Map.of("channel", channel), totals.paid);
                    out.value(MetricDefinition.GMV.recordName(), Map.of("channel", channel, "currency", currency),
                            totals.paidCents / 100.0);
                },
                settings);
    }
}
