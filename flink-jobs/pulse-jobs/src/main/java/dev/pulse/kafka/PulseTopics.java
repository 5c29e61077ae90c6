package dev.pulse.kafka;

import dev.pulse.config.PulseSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Pulse topics and how they are created: the one list the demo's topic setup and the compose stack's
 * kafka-init follow (a test holds docker-compose.yml to it).
 *
 * <p>Partitions: 3 for each input topic (room for the job's parallelism to read in parallel); 3 for dead
 * letters, which can be as many as the input when a producer goes wrong; 1 for final metric values, running
 * updates and alerts, which are few and are read in order by a single exporter. No topic sets a config of its
 * own: the job stamps its records with the wall-clock time of writing (JsonRecordSerializer), which is what the
 * exporter's read-back by record time needs.
 */
public final class PulseTopics {
    public static final int INPUT_PARTITIONS = 3;
    public static final int DEAD_LETTER_PARTITIONS = 3;
    public static final int RESULT_PARTITIONS = 1;

    private PulseTopics() {}

    /** One topic to create: its name, partition count and topic-level configs. */
    public record Topic(String name, int partitions, Map<String, String> configs) {
        public Topic {
            configs = Map.copyOf(configs);
        }
    }

    /** Every Pulse topic, each once, in a stable order: inputs, dead letters, then results and alerts. */
    public static List<Topic> all(PulseSettings settings) {
        Map<String, Topic> topics = new LinkedHashMap<>();
        for (String input : List.of(settings.clicksTopic, settings.ordersTopic, settings.adsTopic)) {
            add(topics, new Topic(input, INPUT_PARTITIONS, Map.of()));
        }
        add(topics, new Topic(settings.deadLettersTopic, DEAD_LETTER_PARTITIONS, Map.of()));
        for (String result : List.of(settings.metricsTopic, settings.liveMetricsTopic, settings.alertsTopic,
                settings.liveAlertsTopic)) {
            add(topics, new Topic(result, RESULT_PARTITIONS, Map.of()));
        }
        return new ArrayList<>(topics.values());
    }

    // a topic named twice (an unusual configuration) gets the larger partition count
    private static void add(Map<String, Topic> topics, Topic topic) {
        topics.merge(topic.name(), topic, (a, b) -> a.partitions() >= b.partitions() ? a : b);
    }
}
