package dev.pulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.model.Stream;
import dev.pulse.testing.KafkaTestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
    private static KafkaTestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaTestBroker.start();
        broker.createTopics(3, TOPICS.values().toArray(String[]::new));
        broker.createTopic(LABELS, 1);
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

        try (KafkaEventWriter writer = new KafkaEventWriter(broker.bootstrapServers(), Map.of(), TOPICS, LABELS)) {
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
        return broker.readCommitted(topic);
    }
}
