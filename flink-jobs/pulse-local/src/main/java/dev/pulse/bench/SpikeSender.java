package dev.pulse.bench;

import dev.pulse.kafka.ToolClients;
import dev.pulse.model.Stream;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends the pre-generated spike ({@link SpikeEvents}) at a fixed rate, event i at {@code start + i / rate}, each
 * stamped with the time it is sent; when it falls behind it sends as fast as it can (the achieved rate is
 * reported, not assumed). Page views go into the {@link AppendLog} when the broker acknowledges them, for the
 * count check at the end.
 */
final class SpikeSender implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<Stream, String> topics;
    private final AppendLog pageViews;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    SpikeSender(String bootstrapServers, Map<String, String> clientProperties, Map<Stream, String> topics,
                AppendLog pageViews) {
        Properties p = ToolClients.producer(bootstrapServers, clientProperties, "pulse-bench-spike");
        // throughput over latency here: the spike's rate is what matters
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.topics = topics;
        this.pageViews = pageViews;
    }

    /** Sends every event, paced at {@code eventsPerSecond} from now; returns when the last one was handed over. */
    void send(SpikeEvents events, double eventsPerSecond) throws InterruptedException {
        SpikeEvents.Reader reader = events.reader();
        long start = System.nanoTime();
        double nanosPerEvent = 1e9 / eventsPerSecond;
        long i = 0;
        for (SpikeEvents.Event e = reader.next(); e != null; e = reader.next(), i++) {
            long due = start + (long) (i * nanosPerEvent);
            long ahead = due - System.nanoTime();
            if (ahead > 1_000_000) {
                TimeUnit.NANOSECONDS.sleep(ahead);
            }
            Exception failed = failure.get();
            if (failed != null) {
                throw new IllegalStateException("sending the spike to Kafka failed: " + failed.getMessage(), failed);
            }
            long now = System.currentTimeMillis();
            long window = e.pageViewSeries() >= 0 ? SeriesWindows.key(e.pageViewSeries(), now) : -1;
            producer.send(new ProducerRecord<>(topics.get(e.stream()), e.key(), SpikeEvents.stamp(e, now)),
                    (metadata, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        } else if (window >= 0) {
                            pageViews.add(window, metadata.timestamp());
                        }
                    });
            sent.incrementAndGet();
        }
    }

    /** Events handed to the producer so far. */
    long sent() {
        return sent.get();
    }

    /** Waits until every event sent was acknowledged; fails if any was not. */
    void flush() {
        producer.flush();
        Exception failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("sending the spike to Kafka failed: " + failed.getMessage(), failed);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
