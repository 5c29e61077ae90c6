package dev.pulse.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Flink's serializer contract on generated orders, with the extremes of their numbers. */
class OrderEventSerializerTest extends EventSerializerTestBase<OrderEvent> {

    OrderEventSerializerTest() {
        super(OrderEvent.class);
    }

    @Override
    protected OrderEvent[] getTestData() {
        List<OrderEvent> events = new ArrayList<>(SerializerTestData.generated(Stream.ORDER, 200));
        events.add(new OrderEvent());
        OrderEvent extreme = SerializerTestData.<OrderEvent>generated(Stream.ORDER, 1).get(0);
        extreme.amount = new BigDecimal(Long.MAX_VALUE).movePointLeft(2);
        extreme.discount = new BigDecimal(Long.MIN_VALUE).movePointLeft(2).subtract(BigDecimal.ONE); // beyond a long
        extreme.itemCount = Integer.MIN_VALUE;
        events.add(extreme);
        return events.toArray(OrderEvent[]::new);
    }
}
