package dev.pulse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.config.PulseSettings;
import dev.pulse.json.Json;
import dev.pulse.model.MetricRecord;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the job has committed to its results topics, read with read_committed. */
public final class CommittedResults {
    private CommittedResults() {}

    /** Final values by {@code series@windowStart}; a window written twice fails (exactly once). */
    public static Map<String, Double> finals(KafkaTestBroker broker, PulseSettings settings) {
        Map<String, Double> values = new TreeMap<>();
        for (ConsumerRecord<String, String> r : broker.readCommitted(settings.metricsTopic)) {
            MetricRecord m = Json.read(r.value(), MetricRecord.class);
            assertThat(values.put(m.seriesWindowKey(), m.value)).as("exactly once: %s", m).isNull();
        }
        return values;
    }

    /** The names of the metrics with a committed final value. */
    public static List<String> names(KafkaTestBroker broker, PulseSettings settings) {
        return broker.readCommitted(settings.metricsTopic).stream()
                .map(r -> Json.read(r.value(), MetricRecord.class).name).distinct().toList();
    }

    /** The alert records on the exactly-once alerts topic, as written, sorted. */
    public static TreeSet<String> alerts(KafkaTestBroker broker, PulseSettings settings) {
        TreeSet<String> alerts = new TreeSet<>();
        for (ConsumerRecord<String, String> r : broker.readCommitted(settings.alertsTopic)) {
            assertThat(alerts.add(r.value())).as("exactly once: %s", r.value()).isTrue();
        }
        return alerts;
    }
}
