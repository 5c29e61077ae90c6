package dev.pulse.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Flink's serializer contract on generated ad events, a cost beyond a long and a negative scale. */
class AdEventSerializerTest extends EventSerializerTestBase<AdEvent> {

    AdEventSerializerTest() {
        super(AdEvent.class);
    }

    @Override
    protected AdEvent[] getTestData() {
        List<AdEvent> events = new ArrayList<>(SerializerTestData.generated(Stream.AD, 200));
        events.add(new AdEvent());
        AdEvent huge = SerializerTestData.<AdEvent>generated(Stream.AD, 1).get(0);
        huge.cost = new BigDecimal("123456789012345678901234567890.0001"); // unscaled beyond 64 bits
        events.add(huge);
        AdEvent scaled = SerializerTestData.<AdEvent>generated(Stream.AD, 2).get(1);
        scaled.cost = new BigDecimal("-1E+3"); // scale -3; equals() tells 1E+3 from 1000
        events.add(scaled);
        return events.toArray(AdEvent[]::new);
    }
}
