package dev.pulse.ingestion;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses and validates inside the Kafka source, so that watermarks are generated per partition from the
 * event time. A record that cannot be read becomes a dead letter instead of failing the job.
 */
public class ParsingKafkaDeserializer<T> implements KafkaRecordDeserializationSchema<Parsed<T>> {
    private static final long serialVersionUID = 1L;

    private final EventParser<T> parser;

    public ParsingKafkaDeserializer(EventParser<T> parser) {
        this.parser = parser;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Parsed<T>> out) {
        out.collect(parser.parse(record.value()));
    }

    @Override
    public TypeInformation<Parsed<T>> getProducedType() {
        return ParsedTypes.of(parser.stream());
    }
}
