package dev.pulse.orders;

import dev.pulse.model.OrderEvent;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Adds created and paid orders and the paid amounts (in cents) of a window. */
public class SumOrders implements AggregateFunction<OrderEvent, OrderTotals, OrderTotals> {
    private static final long serialVersionUID = 1L;

    @Override
    public OrderTotals createAccumulator() {
        return new OrderTotals();
    }

    @Override
    public OrderTotals add(OrderEvent e, OrderTotals t) {
        if (OrderEvent.CREATED.equals(e.status)) {
            t.created++;
        } else if (OrderEvent.PAID.equals(e.status)) {
            t.paid++;
            // the parser guarantees at most two decimals, so this is exact
            t.paidCents += e.amount.movePointRight(2).longValueExact();
        }
        return t;
    }

    @Override
    public OrderTotals getResult(OrderTotals t) {
        return t;
    }

    @Override
    public OrderTotals merge(OrderTotals a, OrderTotals b) {
        return new OrderTotals(a.created + b.created, a.paid + b.paid, a.paidCents + b.paidCents);
    }
}
