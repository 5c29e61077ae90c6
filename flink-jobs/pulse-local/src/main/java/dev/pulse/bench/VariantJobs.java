package dev.pulse.bench;

import dev.pulse.config.PulseSettings;
import dev.pulse.ingestion.DeadLetters;
import dev.pulse.ingestion.Parsed;
import dev.pulse.ingestion.SplitValidEvents;
import dev.pulse.ingestion.VisitorKeys;
import dev.pulse.kafka.KafkaInputs;
import dev.pulse.model.InputEvent;
import dev.pulse.model.Stream;
import dev.pulse.pipeline.MetricsJob;
import dev.pulse.pipeline.PulseInputs;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Builds each variant's job; every variant reads through {@link KafkaInputs#builder}, so the source is the same. */
final class VariantJobs {
    /** The {@code keyed} variant's output: the first event of each visitor of each stream. */
    static final String VISITORS_DISCARDED = "first event of each visitor (discarded)";
    private static final String EVENTS_DISCARDED = "events (discarded)";
    private static final String DEAD_LETTERS_DISCARDED = "dead letters (discarded)";
    /** The discarding sinks' names, a prefix and the stream: {@link #discardedOutput} reads them back. */
    private static final String DISCARD_EVENTS = "discard-";
    private static final String DISCARD_DEAD_LETTERS = "discard-dead-letters-";
    private static final String DISCARD_FIRST_OF_VISITOR = "discard-first-of-visitor-";

    private VariantJobs() {}

    static void attach(Variant variant, StreamExecutionEnvironment env, PulseSettings settings,
                       KafkaInputs.Range range, RunSpec spec) {
        env.setParallelism(settings.parallelism);
        switch (variant) {
            case RAW -> raw(env, settings, range);
            case PARSE -> parse(env, settings, range);
            case KEYED -> keyed(env, settings, range);
            case PULSE -> MetricsJob.attach(env, settings, range);
            case SQL_TUNED, SQL_PLAIN -> SqlTwin.attach(env, settings, variant == Variant.SQL_TUNED, spec);
        }
    }

    private static void raw(StreamExecutionEnvironment env, PulseSettings settings, KafkaInputs.Range range) {
        for (Map.Entry<Stream, String> input : inputTopics(settings).entrySet()) {
            String name = KafkaInputs.sourceName(input.getKey());
            env.fromSource(KafkaInputs.<byte[]>builder(settings, range, input.getValue())
                            .setDeserializer(KafkaRecordDeserializationSchema.valueOnly(ByteArrayDeserializer.class))
                            .build(), WatermarkStrategy.noWatermarks(), name)
                    .uid(name).name(name)
                    .sinkTo(new DiscardingSink<>()).uid(DISCARD_EVENTS + input.getKey().code())
                    .name(DISCARD_EVENTS + input.getKey().code());
        }
    }

    /** The job's own sources (parsing and validation happen in them) and the split into events and dead letters. */
    private static void parse(StreamExecutionEnvironment env, PulseSettings settings, KafkaInputs.Range range) {
        PulseInputs inputs = KafkaInputs.create(env, settings, range);
        discardParsed(inputs.clicks, Stream.CLICK);
        discardParsed(inputs.orders, Stream.ORDER);
        discardParsed(inputs.ads, Stream.AD);
    }

    private static <T> void discardParsed(DataStream<Parsed<T>> parsed, Stream stream) {
        SingleOutputStreamOperator<T> valid = validate(parsed, stream);
        valid.sinkTo(new DiscardingSink<>()).uid(DISCARD_EVENTS + stream.code()).name(DISCARD_EVENTS + stream.code());
    }

    /**
     * Parse, then each event shuffled to its visitor's subtask (as the metrics job's admission is) and its visitor's
     * state read and written once in RocksDB; the first event of each visitor discarded.
     */
    private static void keyed(StreamExecutionEnvironment env, PulseSettings settings, KafkaInputs.Range range) {
        PulseInputs inputs = KafkaInputs.create(env, settings, range);
        discardFirstOfVisitor(validate(inputs.clicks, Stream.CLICK), Stream.CLICK);
        discardFirstOfVisitor(validate(inputs.orders, Stream.ORDER), Stream.ORDER);
        discardFirstOfVisitor(validate(inputs.ads, Stream.AD), Stream.AD);
    }

    private static <T extends InputEvent> void discardFirstOfVisitor(DataStream<T> events, Stream stream) {
        String code = stream.code();
        events.keyBy(VisitorKeys.<T>selector(stream))
                .process(new FirstOfVisitor<T>(), events.getType()).uid("visitor-" + code).name("visitor-" + code)
                .sinkTo(new DiscardingSink<>()).uid(DISCARD_FIRST_OF_VISITOR + code)
                .name(DISCARD_FIRST_OF_VISITOR + code);
    }

    /** Valid events on, dead letters discarded. */
    @SuppressWarnings("unchecked")
    private static <T> SingleOutputStreamOperator<T> validate(DataStream<Parsed<T>> parsed, Stream stream) {
        String code = stream.code();
        SingleOutputStreamOperator<T> valid = parsed
                .process(new SplitValidEvents<T>(code), TypeInformation.of((Class<T>) stream.eventType()))
                .uid("validate-" + code).name("validate-" + code);
        valid.getSideOutput(DeadLetters.TAG).sinkTo(new DiscardingSink<>())
                .uid(DISCARD_DEAD_LETTERS + code).name(DISCARD_DEAD_LETTERS + code);
        return valid;
    }

    /** What a discarding sink of these variants counts, by its operator's name; null for any other operator. */
    static String discardedOutput(String operator) {
        if (operator.startsWith(DISCARD_FIRST_OF_VISITOR)) {
            return VISITORS_DISCARDED;
        }
        if (operator.startsWith(DISCARD_DEAD_LETTERS)) {
            return DEAD_LETTERS_DISCARDED;
        }
        return operator.startsWith(DISCARD_EVENTS) ? EVENTS_DISCARDED : null;
    }

    static Map<Stream, String> inputTopics(PulseSettings settings) {
        return Map.of(Stream.CLICK, settings.clicksTopic, Stream.ORDER, settings.ordersTopic,
                Stream.AD, settings.adsTopic);
    }
}
