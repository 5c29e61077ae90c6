package dev.pulse.bench;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.json.Json;
import dev.pulse.kafka.ToolClients;
import dev.pulse.model.AlertRecord;
import dev.pulse.model.MetricRecord;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the live and final topics as a dashboard's consumer would (read_committed: final values appear when
 * their transaction commits; running updates are not transactional and appear at once) and notes when each
 * page-view value was first seen; likewise each alert on the live and the exactly-once alerts topics.
 */
final class ResultsWatcher implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final String liveTopic;
    private final SeriesWindows series;
    private final Sightings live;
    private final Sightings finals;
    private final String liveAlertsTopic;
    private final String alertsTopic;
    private final AlertLatency alerts;
    private final Thread thread;
    private volatile boolean stopped;

    ResultsWatcher(String bootstrapServers, Map<String, String> clientProperties, String liveTopic,
                   String finalTopic, SeriesWindows series, Sightings live, Sightings finals, String liveAlertsTopic,
                   String alertsTopic, AlertLatency alerts) {
        Properties p = ToolClients.committedReader(bootstrapServers, clientProperties);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = List.of(new TopicPartition(liveTopic, 0), new TopicPartition(finalTopic, 0),
                new TopicPartition(liveAlertsTopic, 0), new TopicPartition(alertsTopic, 0));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.liveTopic = liveTopic;
        this.series = series;
        this.live = live;
        this.finals = finals;
        this.liveAlertsTopic = liveAlertsTopic;
        this.alertsTopic = alertsTopic;
        this.alerts = alerts;
        this.thread = new Thread(this::consume, "bench-results-watcher");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void consume() {
        while (!stopped) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(50))) {
                long now = System.currentTimeMillis();
                if (r.topic().equals(liveAlertsTopic) || r.topic().equals(alertsTopic)) {
                    alerts.seen(Json.read(r.value(), AlertRecord.class), r.topic().equals(alertsTopic), now);
                    continue;
                }
                MetricRecord m = Json.read(r.value(), MetricRecord.class);
                if (!MetricDefinition.PAGE_VIEWS.recordName().equals(m.name)) {
                    continue;
                }
                long key = SeriesWindows.key(series.series(m.labels.get("channel"), m.labels.get("platform")),
                        OffsetDateTime.parse(m.windowStart).toInstant().toEpochMilli());
                (r.topic().equals(liveTopic) ? live : finals).add(key, now, m.value);
            }
        }
        consumer.close();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(Duration.ofSeconds(10).toMillis());
    }
}
