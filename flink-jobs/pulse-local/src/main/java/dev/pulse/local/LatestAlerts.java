package dev.pulse.local;

import dev.pulse.json.Json;
import dev.pulse.model.AlertRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest alert records of the live alerts topic, for the terminal view: read as soon as the job writes them
 * (the at-least-once copy), a repeated alert id kept once. A daemon thread polls until closed.
 */
final class LatestAlerts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LatestAlerts.class);
    private final int keep;
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, AlertRecord> latest = new LinkedHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;

    LatestAlerts(String bootstrapServers, String topic, int keep) {
        this.keep = keep;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "pulse-demo-view");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(topic));
        thread = new Thread(this::poll, "pulse-demo-alerts");
        thread.setDaemon(true);
        thread.start();
    }

    /** The newest alerts, newest first. */
    List<AlertRecord> latest() {
        synchronized (latest) {
            List<AlertRecord> out = new ArrayList<>(latest.values());
            Collections.reverse(out);
            return out;
        }
    }

    private void poll() {
        try {
            while (!closed.get()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    add(r.value());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.warn("the terminal view stopped reading alerts", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    void add(String json) {
        AlertRecord alert;
        try {
            alert = Json.read(json, AlertRecord.class);
        } catch (RuntimeException e) {
            return; // not an alert record: nothing to show
        }
        synchronized (latest) {
            if (latest.remove(alert.alertId) == null && latest.size() == keep) {
                latest.remove(latest.keySet().iterator().next());
            }
            latest.put(alert.alertId, alert);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            consumer.wakeup();
            try {
                thread.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
