package dev.pulse.model;

import java.util.function.Supplier;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;

/**
 * What an {@link EventSerializer} writes into checkpoints. State written by Flink's POJO serializer, before the
 * events had their own (the risk rules keep a few events waiting), is migrated on restore: Flink reads it with the
 * POJO serializer its snapshot restores and writes it again with this one.
 */
abstract class EventSerializerSnapshot<T> extends SimpleTypeSerializerSnapshot<T> {

    EventSerializerSnapshot(Supplier<EventSerializer<T>> serializer) {
        super(serializer);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
        return old instanceof PojoSerializerSnapshot ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
                : super.resolveSchemaCompatibility(old);
    }
}
