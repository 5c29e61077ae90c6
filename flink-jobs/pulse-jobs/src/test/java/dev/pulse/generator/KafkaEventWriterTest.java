package dev.pulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.model.Stream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Kafka writer against a real in-process KRaft broker: every line arrives, keyed, in order per visitor. */
@Timeout(120)
class KafkaEventWriterTest {
    private static final Map<Stream, String> TOPICS = Map.of(
            Stream.CLICK, "gen.clicks", Stream.ORDER, "gen.orders", Stream.AD, "gen.ads");
    private static final String LABELS = "gen.labels";
    private static KafkaClusterTestKit broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .build();
        broker.format();
        broker.startup();
        broker.waitForReadyBrokers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            List<NewTopic> topics = new ArrayList<>();
            TOPICS.values().forEach(t -> topics.add(new NewTopic(t, 3, (short) 1)));
            topics.add(new NewTopic(LABELS, 1, (short) 1));
            admin.createTopics(topics).all().get();
        }
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyLineArrivesWithItsKeyAndEachVisitorsLinesStayInOrder() throws Exception {
        List<GeneratedEvent> events = Generated.all(Generated.settings(61, Duration.ofMinutes(5), 60)
                .duplicateRate(0.05).malformedRate(0.05).outOfOrderRate(0.05).build());

        try (KafkaEventWriter writer = new KafkaEventWriter(broker.bootstrapServers(), TOPICS, LABELS)) {
            for (GeneratedEvent e : events) {
                writer.write(e);
            }
            writer.flush();
        }

        for (Stream s : Stream.values()) {
            List<ConsumerRecord<String, String>> records = readAll(TOPICS.get(s));
            assertThat(records).hasSize((int) events.stream().filter(e -> e.stream() == s).count());
            // per key, the records are exactly the lines written for that key, in the same order
            assertThat(byKey(records)).isEqualTo(expectedByKey(events, s));
            // one key lives on one partition
            Map<String, Integer> partitionOfKey = new HashMap<>();
            for (ConsumerRecord<String, String> r : records) {
                assertThat(partitionOfKey.computeIfAbsent(r.key(), k -> r.partition())).isEqualTo(r.partition());
            }
        }
        List<String> labels = readAll(LABELS).stream().map(ConsumerRecord::value).toList();
        assertThat(labels).isEqualTo(events.stream().filter(e -> e.label() != null)
                .map(e -> EventLabel.of(e).toJson()).toList());
    }

    private static Map<String, List<String>> expectedByKey(List<GeneratedEvent> events, Stream s) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        events.stream().filter(e -> e.stream() == s)
                .forEach(e -> out.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e.json()));
        return out;
    }

    private static Map<String, List<String>> byKey(List<ConsumerRecord<String, String>> records) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        records.forEach(r -> out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value()));
        return out;
    }

    private static List<ConsumerRecord<String, String>> readAll(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
