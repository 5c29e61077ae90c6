package dev.pulse.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Flink's serializer contract (round trips, copies, snapshots, concurrency) on generated clicks and edge cases. */
class ClickEventSerializerTest extends EventSerializerTestBase<ClickEvent> {

    ClickEventSerializerTest() {
        super(ClickEvent.class);
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
