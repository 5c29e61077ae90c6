package dev.pulse.model;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link AdEvent}'s serializer: its fields in declaration order. */
public final class AdEventSerializer extends EventSerializer<AdEvent> {
    private static final long serialVersionUID = 1L;
    static final AdEventSerializer INSTANCE = new AdEventSerializer();

    @Override
    public AdEvent createInstance() {
        return new AdEvent();
    }

    @Override
    public AdEvent copy(AdEvent from) {
        AdEvent copy = new AdEvent();
        copy.eventId = from.eventId;
        copy.eventTime = from.eventTime;
        copy.kind = from.kind;
        copy.impressionId = from.impressionId;
        copy.campaignId = from.campaignId;
        copy.creativeId = from.creativeId;
        copy.placement = from.placement;
        copy.userId = from.userId;
        copy.deviceId = from.deviceId;
        copy.cost = from.cost;
        copy.currency = from.currency;
        return copy;
    }

    @Override
    void write(AdEvent e, DataOutputView out) throws IOException {
        EventFields.writeString(out, e.eventId);
        EventFields.writeInstant(out, e.eventTime);
        EventFields.writeString(out, e.kind);
        EventFields.writeString(out, e.impressionId);
        EventFields.writeString(out, e.campaignId);
        EventFields.writeString(out, e.creativeId);
        EventFields.writeString(out, e.placement);
        EventFields.writeString(out, e.userId);
        EventFields.writeString(out, e.deviceId);
        EventFields.writeDecimal(out, e.cost);
        EventFields.writeString(out, e.currency);
    }

    @Override
    AdEvent read(DataInputView in) throws IOException {
        AdEvent e = new AdEvent();
        e.eventId = EventFields.readString(in);
        e.eventTime = EventFields.readInstant(in);
        e.kind = EventFields.readString(in);
        e.impressionId = EventFields.readString(in);
        e.campaignId = EventFields.readString(in);
        e.creativeId = EventFields.readString(in);
        e.placement = EventFields.readString(in);
        e.userId = EventFields.readString(in);
        e.deviceId = EventFields.readString(in);
        e.cost = EventFields.readDecimal(in);
        e.currency = EventFields.readString(in);
        return e;
    }

    @Override
    public TypeSerializerSnapshot<AdEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores this serializer from a checkpoint. */
    public static final class Snapshot extends EventSerializerSnapshot<AdEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Named by {@link AdEvent}'s annotation: Flink uses this serializer wherever the type appears. */
    public static final class Factory extends TypeInfoFactory<AdEvent> {
        @Override
        public TypeInformation<AdEvent> createTypeInfo(Type type, Map<String, TypeInformation<?>> parameters) {
            return new EventTypeInfo<>(AdEvent.class, INSTANCE);
        }
    }
}
