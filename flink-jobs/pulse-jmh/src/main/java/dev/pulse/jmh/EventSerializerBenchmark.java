package dev.pulse.jmh;

import dev.pulse.ingestion.EventParser;
import dev.pulse.model.Stream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One input event through the shuffle's serialization and back, as every admitted event goes to its visitor's
 * subtask: the event types' own serializers ({@code own}) against the Flink POJO serializer they replaced
 * ({@code pojo}, built here from the same public fields).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EventSerializerBenchmark {
    private static final int EVENTS = 1024;

    @Param({"click", "order", "ad"})
    public String stream;

    @Param({"own", "pojo"})
    public String serializer;

    private TypeSerializer<Object> typeSerializer;
    private Object[] events;
    private int next;
    private final DataOutputSerializer out = new DataOutputSerializer(4096);
    private final DataInputDeserializer in = new DataInputDeserializer();

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() throws Exception {
        Stream s = Stream.valueOf(stream.toUpperCase());
        EventParser<?> parser = EventParser.forStream(s, "CNY");
        List<Object> parsed = new ArrayList<>();
        for (String line : ParseBenchmark.generatedLines(s, EVENTS)) {
            parsed.add(parser.parse(line.getBytes(StandardCharsets.UTF_8)).event);
        }
        events = parsed.toArray();
        Class<Object> type = (Class<Object>) s.eventType();
        SerializerConfigImpl config = new SerializerConfigImpl();
        typeSerializer = serializer.equals("own") ? TypeInformation.of(type).createSerializer(config)
                : pojoInfo(type).createSerializer(config);
    }

    private static PojoTypeInfo<Object> pojoInfo(Class<Object> type) {
        List<PojoField> fields = new ArrayList<>();
        for (Field f : type.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                fields.add(new PojoField(f, TypeInformation.of(f.getType())));
            }
        }
        return new PojoTypeInfo<>(type, fields);
    }

    @Benchmark
    public Object roundTrip() throws IOException {
        Object event = events[next];
        next = (next + 1) & (EVENTS - 1);
        out.clear();
        typeSerializer.serialize(event, out);
        in.setBuffer(out.getSharedBuffer(), 0, out.length());
        return typeSerializer.deserialize(in);
    }
}
