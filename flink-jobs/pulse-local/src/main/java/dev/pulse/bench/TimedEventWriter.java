package dev.pulse.bench;

import dev.pulse.generator.EventWriter;
import dev.pulse.generator.GeneratedEvent;
import dev.pulse.json.Json;
import dev.pulse.kafka.ToolClients;
import dev.pulse.model.ClickEvent;
import dev.pulse.model.OrderEvent;
import dev.pulse.model.Stream;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The latency mode's writer: sends each event like the generator's own writer (idempotent, keyed by visitor) and
 * logs, for each page view, its series window and the time the broker appended it (the input topics use
 * LogAppendTime, so the acknowledgement carries it); likewise for each order event of a staged fraud incident.
 */
final class TimedEventWriter implements EventWriter {
    private final KafkaProducer<String, String> producer;
    private final Map<Stream, String> topics;
    private final SeriesWindows series;
    private final AppendLog pageViews;
    private final AlertLatency alerts;
    private final AtomicLong written = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    TimedEventWriter(String bootstrapServers, Map<String, String> clientProperties, Map<Stream, String> topics,
                     SeriesWindows series, AppendLog pageViews, AlertLatency alerts) {
        Properties p = ToolClients.producer(bootstrapServers, clientProperties, "pulse-bench-latency");
        // no batching delay: the time from append onwards is measured, but a lingering batch would hide load
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        this.topics = topics;
        this.series = series;
        this.pageViews = pageViews;
        this.alerts = alerts;
    }

    @Override
    public void write(GeneratedEvent e) throws Exception {
        Exception failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("sending to Kafka failed: " + failed.getMessage(), failed);
        }
        long key = -1;
        if (e.stream() == Stream.CLICK) {
            ClickEvent click = Json.read(e.json(), ClickEvent.class);
            if (click.countsAsPageView()) {
                key = SeriesWindows.key(series.series(click.channel, click.platform), click.eventTime().toEpochMilli());
            }
        }
        long seriesWindow = key;
        String trigger = e.stream() == Stream.ORDER && e.label() != null && e.label().startsWith("fraud:")
                ? AlertLatency.trigger(Json.read(e.json(), OrderEvent.class)) : null;
        producer.send(new ProducerRecord<>(topics.get(e.stream()), e.key(), e.json()), (metadata, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            } else if (seriesWindow >= 0) {
                pageViews.add(seriesWindow, metadata.timestamp());
            } else if (trigger != null) {
                alerts.appended(trigger, metadata.timestamp());
            }
        });
        written.incrementAndGet();
    }

    long written() {
        return written.get();
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
