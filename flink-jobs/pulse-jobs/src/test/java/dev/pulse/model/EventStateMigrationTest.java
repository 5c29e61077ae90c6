package dev.pulse.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Events kept in RocksDB state by Flink's POJO serializer (as the risk rules kept waiting orders before the events
 * had their own serializers) restore into a job that has them: the state is migrated, not refused.
 */
@Timeout(60)
class EventStateMigrationTest {

    @Test
    void waitingOrdersWrittenByThePojoSerializerRestoreWithTheEventsOwn() throws Exception {
        List<OrderEvent> orders = SerializerTestData.generated(Stream.ORDER, 3);
        OperatorSubtaskState snapshot;
        try (var before = harness(pojoType())) {
            before.open();
            for (OrderEvent order : orders) {
                before.processElement(new StreamRecord<>(order, 1L));
            }
            snapshot = before.snapshot(1L, 1L);
        }
        try (var after = harness(TypeInformation.of(OrderEvent.class))) {
            assertThat(TypeInformation.of(OrderEvent.class).createSerializer(after.getExecutionConfig()
                    .getSerializerConfig())).isInstanceOf(OrderEventSerializer.class);
            after.initializeState(snapshot);
            after.open();
            after.processElement(new StreamRecord<>(new OrderEvent(), 2L)); // no id: show what waits
            assertThat(after.extractOutputValues()).containsExactlyElementsOf(orders);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, OrderEvent, OrderEvent> harness(
            TypeInformation<OrderEvent> type) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new KeepWaiting(type)),
                o -> "one-key", Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    /** OrderEvent as Flink's POJO serializer saw it: its public fields. */
    @SuppressWarnings("unchecked")
    private static TypeInformation<OrderEvent> pojoType() {
        List<PojoField> fields = new ArrayList<>();
        for (Field f : OrderEvent.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                fields.add(new PojoField(f, (TypeInformation<Object>) TypeInformation.of(f.getType())));
            }
        }
        return new PojoTypeInfo<>(OrderEvent.class, fields);
    }

    /** Keeps orders in a map of lists, as {@code UserRiskRules} does; an order without id sends them out. */
    private static final class KeepWaiting extends KeyedProcessFunction<String, OrderEvent, OrderEvent> {
        private final TypeInformation<OrderEvent> type;
        private transient MapState<Long, List<OrderEvent>> waiting;

        KeepWaiting(TypeInformation<OrderEvent> type) {
            this.type = type;
        }

        @Override
        public void open(OpenContext openContext) {
            waiting = getRuntimeContext().getMapState(
                    new MapStateDescriptor<>("waiting", Types.LONG, Types.LIST(type)));
        }

        @Override
        public void processElement(OrderEvent order, Context ctx, Collector<OrderEvent> out) throws Exception {
            if (order.eventId == null) {
                for (OrderEvent o : waiting.get(0L)) {
                    out.collect(o);
                }
                return;
            }
            List<OrderEvent> list = waiting.contains(0L) ? waiting.get(0L) : new ArrayList<>();
            list.add(order);
            waiting.put(0L, list);
        }
    }
}
