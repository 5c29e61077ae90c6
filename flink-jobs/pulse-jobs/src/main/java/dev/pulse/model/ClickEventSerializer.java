package dev.pulse.model;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** {@link ClickEvent}'s serializer: its fields in declaration order. */
public final class ClickEventSerializer extends EventSerializer<ClickEvent> {
    private static final long serialVersionUID = 1L;
    static final ClickEventSerializer INSTANCE = new ClickEventSerializer();

    @Override
    public ClickEvent createInstance() {
        return new ClickEvent();
    }

    @Override
    public ClickEvent copy(ClickEvent from) {
        ClickEvent copy = new ClickEvent();
        copy.eventId = from.eventId;
        copy.eventTime = from.eventTime;
        copy.userId = from.userId;
        copy.sessionId = from.sessionId;
        copy.eventType = from.eventType;
        copy.page = from.page;
        copy.itemId = from.itemId;
        copy.categoryId = from.categoryId;
        copy.channel = from.channel;
        copy.campaignId = from.campaignId;
        copy.platform = from.platform;
        copy.deviceId = from.deviceId;
        copy.ip = from.ip;
        return copy;
    }

    @Override
    void write(ClickEvent e, DataOutputView out) throws IOException {
        EventFields.writeString(out, e.eventId);
        EventFields.writeInstant(out, e.eventTime);
        EventFields.writeString(out, e.userId);
        EventFields.writeString(out, e.sessionId);
        EventFields.writeString(out, e.eventType);
        EventFields.writeString(out, e.page);
        EventFields.writeString(out, e.itemId);
        EventFields.writeString(out, e.categoryId);
        EventFields.writeString(out, e.channel);
        EventFields.writeString(out, e.campaignId);
        EventFields.writeString(out, e.platform);
        EventFields.writeString(out, e.deviceId);
        EventFields.writeString(out, e.ip);
    }

    @Override
    ClickEvent read(DataInputView in) throws IOException {
        ClickEvent e = new ClickEvent();
        e.eventId = EventFields.readString(in);
        e.eventTime = EventFields.readInstant(in);
        e.userId = EventFields.readString(in);
        e.sessionId = EventFields.readString(in);
        e.eventType = EventFields.readString(in);
        e.page = EventFields.readString(in);
        e.itemId = EventFields.readString(in);
        e.categoryId = EventFields.readString(in);
        e.channel = EventFields.readString(in);
        e.campaignId = EventFields.readString(in);
        e.platform = EventFields.readString(in);
        e.deviceId = EventFields.readString(in);
        e.ip = EventFields.readString(in);
        return e;
    }

    @Override
    public TypeSerializerSnapshot<ClickEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores this serializer from a checkpoint. */
    public static final class Snapshot extends EventSerializerSnapshot<ClickEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Named by {@link ClickEvent}'s annotation: Flink uses this serializer wherever the type appears. */
    public static final class Factory extends TypeInfoFactory<ClickEvent> {
        @Override
        public TypeInformation<ClickEvent> createTypeInfo(Type type, Map<String, TypeInformation<?>> parameters) {
            return new EventTypeInfo<>(ClickEvent.class, INSTANCE);
        }
    }
}
