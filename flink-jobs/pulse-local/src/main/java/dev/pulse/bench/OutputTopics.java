package dev.pulse.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what a run wrote, with read_committed: only records of committed transactions count. */
final class OutputTopics {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private OutputTopics() {}

    /** One record's key and value (null: a tombstone), as written. */
    record KeyedValue(String key, String value) {}

    /** Every committed record value of the topic, in partition order. */
    static List<String> readAll(String bootstrapServers, Map<String, String> clientProperties, String topic) {
        List<String> values = new ArrayList<>();
        for (KeyedValue r : readKeyed(bootstrapServers, clientProperties, topic)) {
            values.add(r.value());
        }
        return values;
    }

    /**
     * An upsert topic read as the table it stands for: for each key its latest value, a key whose latest record is
     * a tombstone left out; in the order the keys first came. (Records of one key are in one partition, in order.)
     */
    static List<String> latestPerKey(List<KeyedValue> records) {
        Map<String, String> latest = new LinkedHashMap<>();
        for (KeyedValue r : records) {
            if (r.value() == null) {
                latest.remove(r.key());
            } else {
                latest.put(r.key(), r.value());
            }
        }
        return new ArrayList<>(latest.values());
    }

    /** Every committed record of the topic with its key, in partition order. */
    static List<KeyedValue> readKeyed(String bootstrapServers, Map<String, String> clientProperties, String topic) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        List<KeyedValue> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // for read_committed the end offsets are the last stable offsets: nothing open is waited for
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + TIMEOUT);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    records.add(new KeyedValue(r.key(), r.value()));
                }
            }
        }
        return records;
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
