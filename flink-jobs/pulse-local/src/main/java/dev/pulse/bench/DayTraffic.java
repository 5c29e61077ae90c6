package dev.pulse.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.generator.GeneratedEvent;
import dev.pulse.generator.GeneratorSettings;
import dev.pulse.generator.KafkaEventWriter;
import dev.pulse.generator.TrafficGenerator;
import dev.pulse.json.Json;
import dev.pulse.kafka.ToolClients;
import dev.pulse.model.Stream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A generated business day of traffic (the generator at its default mix with fraud incidents, in order, from
 * {@link BenchInput#START}, midnight in Asia/Shanghai), written into a run's input topics in slices of equal event-time span, then closed
 * out: one event per partition of each topic a day after the traffic ends, so every split's watermark passes
 * the whole day and an unbounded job closes all its windows. The same seed writes the same events to the same
 * partitions (keyed as the generator keys them) for every run.
 */
final class DayTraffic {
    static final Duration DAY = Duration.ofDays(1);
    static final double FRAUD_INCIDENTS_PER_HOUR = 20;

    private final GeneratorSettings settings;
    private final TrafficGenerator generator;
    private final Map<Stream, String> topics;
    private final KafkaEventWriter writer;
    /** The first event of each stream: the close-out events are copies of it at another time. */
    private final Map<Stream, String> templates = new EnumMap<>(Stream.class);
    private final Map<Stream, Long> written = new EnumMap<>(Stream.class);
    private final Map<String, String> clientProperties;
    private final String bootstrapServers;
    private GeneratedEvent pending;
    private Instant last;

    DayTraffic(long seed, double sessionsPerMinute, String bootstrapServers, Map<String, String> clientProperties,
               Map<Stream, String> topics) {
        this.settings = generator(seed, sessionsPerMinute);
        this.generator = new TrafficGenerator(settings);
        this.topics = topics;
        this.bootstrapServers = bootstrapServers;
        this.clientProperties = clientProperties;
        this.writer = new KafkaEventWriter(bootstrapServers, clientProperties, topics, null);
        for (Stream s : Stream.values()) {
            written.put(s, 0L);
        }
    }

    static GeneratorSettings generator(long seed, double sessionsPerMinute) {
        // fraud incidents too, so the risk rules raise alerts to compare
        return BenchInput.generator(seed, sessionsPerMinute).toBuilder().duration(DAY)
                .fraudIncidentsPerHour(FRAUD_INCIDENTS_PER_HOUR).build();
    }

    /** When the close-out events happen: the day after the traffic's day, at its start. */
    static Instant closeOut() {
        return BenchInput.START.plus(DAY).plus(DAY);
    }

    /** Writes the events of the k-th of n equal event-time slices of the day, and waits until Kafka has them. */
    void writeSlice(int k, int n) throws Exception {
        Instant end = BenchInput.START.plus(DAY.multipliedBy(k + 1).dividedBy(n));
        while (pending != null || generator.hasNext()) {
            GeneratedEvent e = pending != null ? pending : generator.next();
            pending = null;
            if (k < n - 1 && !e.eventTime().isBefore(end)) {
                pending = e;
                break;
            }
            templates.putIfAbsent(e.stream(), e.json());
            writer.write(e);
            written.merge(e.stream(), 1L, Long::sum);
            last = e.eventTime();
        }
        writer.flush();
    }

    /** One event per partition of each input topic at {@link #closeOut()}; call after the last slice. */
    void writeCloseOut() throws Exception {
        writer.close();
        Properties p = ToolClients.producer(bootstrapServers, clientProperties, "pulse-bench-close-out");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (Stream s : Stream.values()) {
                String topic = topics.get(s);
                int partitions = producer.partitionsFor(topic).size();
                for (int partition = 0; partition < partitions; partition++) {
                    producer.send(new ProducerRecord<>(topic, partition, "close-out",
                            closeOutEvent(templates.get(s), s.code() + "-" + partition)));
                }
            }
            producer.flush();
        }
    }

    /** The template event with a close-out id (and order id) and the close-out time. */
    static String closeOutEvent(String template, String id) {
        try {
            ObjectNode event = (ObjectNode) Json.MAPPER.readTree(template);
            event.put("event_id", "close-out-" + id);
            event.put("event_time", closeOut().toString());
            if (event.has("order_id")) {
                event.put("order_id", "close-out-" + id);
            }
            return Json.MAPPER.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    GeneratorSettings settings() {
        return settings;
    }

    /** Events written so far, by stream (close-out events not counted). */
    Map<Stream, Long> written() {
        return new EnumMap<>(written);
    }

    long total() {
        return written.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The event time of the last event written. */
    Instant lastEventTime() {
        return last;
    }
}
