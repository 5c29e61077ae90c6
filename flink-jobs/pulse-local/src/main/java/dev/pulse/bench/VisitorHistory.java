package dev.pulse.bench;

import dev.pulse.json.Json;
import dev.pulse.kafka.ToolClients;
import dev.pulse.model.ClickEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The recovery mode's history: one page view by each of {@code visitors} registered users, none seen twice, spread
 * evenly in event time over a span that ends before now and lies within the horizon of the visitor state (MAU's
 * business days), written to the clicks topic before the job starts. One event per visitor is the cheapest input
 * that makes the job keep a visitor in state: what is measured is restoring that state, not building it.
 */
final class VisitorHistory {
    /** How far back the history starts: inside the 30 business days a visitor's active days are kept. */
    static final Duration SPAN = Duration.ofDays(28);
    /** The history ends this long before now, so the live traffic's windows follow it. */
    static final Duration GAP = Duration.ofMinutes(10);

    private VisitorHistory() {}

    /** Writes the history; returns once the broker acknowledged every event. */
    static void write(String bootstrapServers, Map<String, String> clientProperties, String clicksTopic,
                      long visitors, Instant now) {
        Properties p = ToolClients.producer(bootstrapServers, clientProperties, "pulse-bench-history");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long from = now.minus(SPAN).toEpochMilli();
        double step = (double) (now.minus(GAP).toEpochMilli() - from) / visitors;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            for (long i = 0; i < visitors && failure.get() == null; i++) {
                ClickEvent click = pageView(i, Instant.ofEpochMilli(from + (long) (i * step)));
                producer.send(new ProducerRecord<>(clicksTopic, click.userId, Json.write(click)), (m, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("writing the visitor history failed: " + failure.get().getMessage(),
                    failure.get());
        }
    }

    /** Visitor {@code i}'s one page view: ids derived from i (synthetic, no person behind them). */
    static ClickEvent pageView(long i, Instant at) {
        ClickEvent c = new ClickEvent();
        c.eventId = String.format(Locale.ROOT, "c-h%015x", i);
        c.eventTime = at;
        c.userId = String.format(Locale.ROOT, "u-h%015x", i);
        c.sessionId = String.format(Locale.ROOT, "s-h%015x", i);
        c.eventType = "page_view";
        c.page = "/home";
        c.channel = "organic";
        c.platform = "web";
        c.deviceId = String.format(Locale.ROOT, "d-h%015x", i);
        c.ip = String.format(Locale.ROOT, "10.%d.%d.%d", (i >> 16) & 255, (i >> 8) & 255, i & 255);
        return c;
    }
}
