package dev.pulse.model;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink's serializer contract (round trips, copies, snapshots, concurrent use) for an input event type, with the
 * serializer Flink itself picks for the type: the one its annotation names.
 */
abstract class EventSerializerTestBase<T> extends SerializerTestBase<T> {
    private final Class<T> type;

    EventSerializerTestBase(Class<T> type) {
        this.type = type;
    }

    @Override
    protected TypeSerializer<T> createSerializer() {
        return TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<T> getTypeClass() {
        return type;
    }
}
