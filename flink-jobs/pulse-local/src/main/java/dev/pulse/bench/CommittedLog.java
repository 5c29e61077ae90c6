package dev.pulse.bench;

import dev.pulse.kafka.ToolClients;
import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A results topic read from its beginning with read_committed and kept up to date: each {@link #poll()} adds what
 * was committed since, so the chaos mode can watch a run's output grow without reading it all again (and
 * {@link OutputTopics} reads a topic once with it). Records of
 * one partition stay in their order; partitions follow one another.
 */
final class CommittedLog implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final KafkaConsumer<String, String> consumer;
    private final List<OutputTopics.KeyedValue> records = new ArrayList<>();

    CommittedLog(String bootstrapServers, Map<String, String> clientProperties, String topic) {
        Properties p = ToolClients.committedReader(bootstrapServers, clientProperties);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what is committed now (up to the last stable offsets) and returns the number of values so far. */
    int poll() {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), TIMEOUT);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!reached(end)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + end.keySet() + " to its end within " + TIMEOUT);
            }
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                records.add(new OutputTopics.KeyedValue(r.key(), r.value()));
            }
        }
        return records.size();
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Every committed record read so far, with its key. */
    List<OutputTopics.KeyedValue> records() {
        return records;
    }

    /** Every committed value read so far (a tombstone as null): a view, not a copy. */
    List<String> values() {
        return new AbstractList<>() {
            @Override
            public String get(int index) {
                return records.get(index).value();
            }

            @Override
            public int size() {
                return records.size();
            }
        };
    }

    @Override
    public void close() {
        consumer.close();
    }
}
