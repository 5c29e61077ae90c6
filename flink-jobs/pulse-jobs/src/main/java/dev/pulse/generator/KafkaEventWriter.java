package dev.pulse.generator;

import dev.pulse.kafka.ToolClients;
import dev.pulse.model.Stream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends each stream to its topic with an idempotent producer ({@code acks=all}): no line is lost or written twice
 * by a retry, so the only duplicates the engine sees are the injected ones. The key is the user (or the device
 * of an anonymous visitor), which keeps a visitor's events in order on one partition. The record timestamp is
 * left to the producer (send time), not the event time: replaying old events must not let the broker's
 * retention delete them at once. Labels go to an optional labels topic.
 */
public final class KafkaEventWriter implements EventWriter {
    private final Producer<String, String> producer;
    private final Map<Stream, String> topics;
    private final String labelsTopic;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public KafkaEventWriter(String bootstrapServers, Map<Stream, String> topics) {
        this(bootstrapServers, Map.of(), topics, null);
    }

    /**
     * @param clientProperties further Kafka client settings (pulse.kafka.properties.*: security and the like)
     * @param labelsTopic where {@link EventLabel}s go, or null to drop them
     */
    public KafkaEventWriter(String bootstrapServers, Map<String, String> clientProperties, Map<Stream, String> topics,
                            String labelsTopic) {
        for (Stream s : Stream.values()) {
            if (topics.get(s) == null || topics.get(s).isBlank()) {
                throw new IllegalArgumentException("no topic for the " + s.code() + " stream");
            }
        }
        this.topics = new EnumMap<>(topics);
        this.labelsTopic = labelsTopic;
        Properties p = ToolClients.producer(bootstrapServers, clientProperties, "pulse-generator");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    @Override
    public void write(GeneratedEvent e) throws Exception {
        rethrow();
        producer.send(new ProducerRecord<>(topics.get(e.stream()), e.key(), e.json()), this::onCompletion);
        if (labelsTopic != null && e.label() != null) {
            producer.send(new ProducerRecord<>(labelsTopic, e.key(), EventLabel.of(e).toJson()), this::onCompletion);
        }
    }

    @Override
    public void flush() throws Exception {
        producer.flush();
        rethrow();
    }

    @Override
    public void close() throws Exception {
        try {
            flush();
        } finally {
            producer.close(Duration.ofSeconds(30));
        }
    }

    private void onCompletion(RecordMetadata metadata, Exception error) {
        if (error != null) {
            failure.compareAndSet(null, error);
        }
    }

    /** A send that failed after its retries fails the run: silently missing events would skew every number. */
    private void rethrow() throws Exception {
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("sending to Kafka failed: " + e.getMessage(), e);
        }
    }
}
