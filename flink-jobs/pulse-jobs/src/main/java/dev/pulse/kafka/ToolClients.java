package dev.pulse.kafka;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Settings of the Kafka clients Pulse's tools create (the generator, the benchmarks' writers and readers): the
 * deployment's client settings ({@code pulse.kafka.properties.*}: security, TLS) first, then what each kind of
 * client needs to be right. Callers add their batching.
 */
public final class ToolClients {
    private ToolClients() {}

    /** A producer acknowledged by every replica and idempotent, so that a retried send is never a second event. */
    public static Properties producer(String bootstrapServers, Map<String, String> clientProperties,
                                      String clientId) {
        Properties p = common(bootstrapServers, clientProperties);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return p;
    }

    /**
     * A consumer of results written in transactions: it sees committed records only, and commits no offsets (the
     * tools assign partitions and seek themselves).
     */
    public static Properties committedReader(String bootstrapServers, Map<String, String> clientProperties) {
        Properties p = common(bootstrapServers, clientProperties);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return p;
    }

    private static Properties common(String bootstrapServers, Map<String, String> clientProperties) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }
}
