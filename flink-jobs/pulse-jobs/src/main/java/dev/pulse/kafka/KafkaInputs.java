package dev.pulse.kafka;

import dev.pulse.config.PulseSettings;
import dev.pulse.ingestion.EventParser;
import dev.pulse.ingestion.EventWatermarks;
import dev.pulse.ingestion.InputRules;
import dev.pulse.ingestion.Parsed;
import dev.pulse.ingestion.ParsingKafkaDeserializer;
import dev.pulse.model.InputEvent;
import dev.pulse.model.Stream;
import dev.pulse.pipeline.PulseInputs;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Kafka sources for the three input topics; parsing and per-partition watermarks happen inside the source. */
public final class KafkaInputs {
    private KafkaInputs() {}

    /** Where to start and (for a bounded read) where to stop. */
    public static final class Range {
        final OffsetsInitializer start;
        final OffsetsInitializer stop;

        private Range(OffsetsInitializer start, OffsetsInitializer stop) {
            this.start = start;
            this.stop = stop;
        }

        /** The live job: from the configured starting offsets, forever. */
        public static Range unbounded(PulseSettings settings) {
            switch (settings.startingOffsets) {
                case "earliest":
                    return new Range(OffsetsInitializer.earliest(), null);
                case "latest":
                    return new Range(OffsetsInitializer.latest(), null);
                default:
                    return new Range(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST), null);
            }
        }

        /** Everything in the topics now: the job ends when it has read up to the current end. */
        public static Range earliestToLatest() {
            return new Range(OffsetsInitializer.earliest(), OffsetsInitializer.latest());
        }

        /** Records whose Kafka timestamp lies in [fromMillis, toMillis). */
        public static Range between(long fromMillis, long toMillis) {
            return new Range(OffsetsInitializer.timestamp(fromMillis), OffsetsInitializer.timestamp(toMillis));
        }
    }

    public static PulseInputs create(StreamExecutionEnvironment env, PulseSettings settings, Range range) {
        return new PulseInputs(
                source(env, settings, range, Stream.CLICK, settings.clicksTopic),
                source(env, settings, range, Stream.ORDER, settings.ordersTopic),
                source(env, settings, range, Stream.AD, settings.adsTopic));
    }

    private static <T extends InputEvent> DataStream<Parsed<T>> source(
            StreamExecutionEnvironment env, PulseSettings settings, Range range, Stream stream, String topic) {
        KafkaSource<Parsed<T>> source = KafkaInputs.<Parsed<T>>builder(settings, range, topic)
                .setDeserializer(new ParsingKafkaDeserializer<>(EventParser.<T>forStream(stream, InputRules.from(settings))))
                .build();
        String name = sourceName(stream);
        return env.fromSource(source, EventWatermarks.<T>forParsed(settings), name).uid(name).name(name);
    }

    /** The operator name and uid of a stream's source. */
    public static String sourceName(Stream stream) {
        return "kafka-" + stream.code();
    }

    /**
     * A source builder with every setting the jobs use (pulse.kafka.properties.*, servers, group, range,
     * read_committed, offsets committed on checkpoints); the caller adds the deserializer. The benchmark reads with exactly these settings too.
     */
    public static <T> KafkaSourceBuilder<T> builder(PulseSettings settings, Range range, String topic) {
        KafkaSourceBuilder<T> builder = KafkaSource.<T>builder();
        settings.kafkaProperties.forEach(builder::setProperty);
        builder.setBootstrapServers(settings.bootstrapServers)
                .setTopics(topic)
                .setGroupId(settings.groupId)
                .setStartingOffsets(range.start)
                // transactional producers' aborted writes must never count
                .setProperty("isolation.level", "read_committed")
                .setProperty("commit.offsets.on.checkpoint", "true");
        if (range.stop != null) {
            builder.setBounded(range.stop);
        }
        return builder;
    }
}
