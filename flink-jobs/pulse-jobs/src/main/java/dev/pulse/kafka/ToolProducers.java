package dev.pulse.kafka;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Settings of the producers Pulse's tools create (the generator, the benchmarks' writers): the deployment's
 * client settings ({@code pulse.kafka.properties.*}: security, TLS) first, then acknowledgement by every replica
 * and idempotence, so that a retried send is never a second event. Callers add their batching.
 */
public final class ToolProducers {
    private ToolProducers() {}

    public static Properties properties(String bootstrapServers, Map<String, String> clientProperties,
                                        String clientId) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return p;
    }
}
