package dev.pulse.kafka;

import dev.pulse.json.Json;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes records as JSON. The Kafka timestamp is the wall-clock time of writing, on purpose: with the event
 * time, results of a replay of old data would fall outside the topic's retention and vanish at once.
 */
public class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final KeySelector<T, String> key;

    /** @param key keeps the values of one series on one partition, in order; null for no key */
    public JsonRecordSerializer(String topic, KeySelector<T, String> key) {
        this.topic = topic;
        this.key = key;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        byte[] keyBytes;
        try {
            keyBytes = key == null ? null : key.getKey(element).getBytes(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException("cannot compute the record key", e);
        }
        return new ProducerRecord<>(topic, null, System.currentTimeMillis(), keyBytes,
                Json.write(element).getBytes(StandardCharsets.UTF_8));
    }
}
