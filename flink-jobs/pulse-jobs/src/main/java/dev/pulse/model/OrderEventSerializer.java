package dev.pulse.model;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link OrderEvent}'s serializer: its fields in declaration order. */
public final class OrderEventSerializer extends EventSerializer<OrderEvent> {
    private static final long serialVersionUID = 1L;
    static final OrderEventSerializer INSTANCE = new OrderEventSerializer();

    @Override
    public OrderEvent createInstance() {
        return new OrderEvent();
    }

    @Override
    public OrderEvent copy(OrderEvent from) {
        OrderEvent copy = new OrderEvent();
        copy.eventId = from.eventId;
        copy.eventTime = from.eventTime;
        copy.orderId = from.orderId;
        copy.userId = from.userId;
        copy.status = from.status;
        copy.amount = from.amount;
        copy.currency = from.currency;
        copy.discount = from.discount;
        copy.itemCount = from.itemCount;
        copy.addressHash = from.addressHash;
        copy.paymentMethod = from.paymentMethod;
        copy.channel = from.channel;
        copy.platform = from.platform;
        copy.deviceId = from.deviceId;
        copy.ip = from.ip;
        return copy;
    }

    @Override
    void write(OrderEvent e, DataOutputView out) throws IOException {
        EventFields.writeString(out, e.eventId);
        EventFields.writeInstant(out, e.eventTime);
        EventFields.writeString(out, e.orderId);
        EventFields.writeString(out, e.userId);
        EventFields.writeString(out, e.status);
        EventFields.writeDecimal(out, e.amount);
        EventFields.writeString(out, e.currency);
        EventFields.writeDecimal(out, e.discount);
        out.writeInt(e.itemCount);
        EventFields.writeString(out, e.addressHash);
        EventFields.writeString(out, e.paymentMethod);
        EventFields.writeString(out, e.channel);
        EventFields.writeString(out, e.platform);
        EventFields.writeString(out, e.deviceId);
        EventFields.writeString(out, e.ip);
    }

    @Override
    OrderEvent read(DataInputView in) throws IOException {
        OrderEvent e = new OrderEvent();
        e.eventId = EventFields.readString(in);
        e.eventTime = EventFields.readInstant(in);
        e.orderId = EventFields.readString(in);
        e.userId = EventFields.readString(in);
        e.status = EventFields.readString(in);
        e.amount = EventFields.readDecimal(in);
        e.currency = EventFields.readString(in);
        e.discount = EventFields.readDecimal(in);
        e.itemCount = in.readInt();
        e.addressHash = EventFields.readString(in);
        e.paymentMethod = EventFields.readString(in);
        e.channel = EventFields.readString(in);
        e.platform = EventFields.readString(in);
        e.deviceId = EventFields.readString(in);
        e.ip = EventFields.readString(in);
        return e;
    }

    @Override
    public TypeSerializerSnapshot<OrderEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores this serializer from a checkpoint. */
    public static final class Snapshot extends EventSerializerSnapshot<OrderEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Named by {@link OrderEvent}'s annotation: Flink uses this serializer wherever the type appears. */
    public static final class Factory extends TypeInfoFactory<OrderEvent> {
        @Override
        public TypeInformation<OrderEvent> createTypeInfo(Type type, Map<String, TypeInformation<?>> parameters) {
            return new EventTypeInfo<>(OrderEvent.class, INSTANCE);
        }
    }
}
