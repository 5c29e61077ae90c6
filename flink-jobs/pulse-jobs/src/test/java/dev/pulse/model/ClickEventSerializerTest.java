package dev.pulse.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's serializer contract (round trips, copies, snapshots, concurrency) on generated clicks and edge cases. */
class ClickEventSerializerTest extends SerializerTestBase<ClickEvent> {

    @Override
    protected TypeSerializer<ClickEvent> createSerializer() {
        return new ClickEventSerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<ClickEvent> getTypeClass() {
        return ClickEvent.class;
    }

    @Override
    protected ClickEvent[] getTestData() {
        List<ClickEvent> events = new ArrayList<>(SerializerTestData.generated(Stream.CLICK, 200));
        events.add(new ClickEvent()); // every field null
        ClickEvent odd = SerializerTestData.<ClickEvent>generated(Stream.CLICK, 1).get(0);
        odd.page = "/搜索?q=手机&emoji=\uD83D\uDE00"; // not ASCII, a surrogate pair
        odd.eventTime = Instant.ofEpochSecond(-62135596800L, 999_999_999); // nanoseconds kept, year 1
        odd.ip = "";
        odd.userId = "u-\uD800"; // a lone surrogate: must not come back as "u-?", another visitor
        odd.deviceId = "d-é";
        events.add(odd);
        return events.toArray(ClickEvent[]::new);
    }
}
