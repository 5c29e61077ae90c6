package dev.pulse.bench;

import dev.pulse.local.TopicSetup;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The benchmark's own topics (prefix {@value #PREFIX}), so a run against a shared cluster never touches the
 * topics of a live Pulse: inputs created anew before loading, outputs per run, deleted once they are read.
 * Inputs take the broker's append time as record timestamp, which the latency mode measures from.
 */
final class BenchTopics implements AutoCloseable {
    static final String PREFIX = "pulse-bench.";
    private static final long TIMEOUT_SECONDS = 60;

    private final Admin admin;
    private final short replication;

    BenchTopics(String bootstrapServers, Map<String, String> clientProperties, short replication) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "pulse-bench-admin");
        this.admin = Admin.create(config);
        this.replication = replication;
    }

    static String input(String stream) {
        return PREFIX + stream;
    }

    static String output(String runId, String name) {
        return PREFIX + runId + "." + name;
    }

    /** Deletes the topics if they exist, then creates them empty; returns once the broker serves them. */
    void recreate(Collection<String> topics, int partitions, boolean appendTime) throws Exception {
        delete(topics);
        Map<String, String> config = appendTime ? Map.of("message.timestamp.type", "LogAppendTime") : Map.of();
        List<NewTopic> created = topics.stream()
                .map(t -> new NewTopic(t, partitions, replication).configs(config)).toList();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                admin.createTopics(created).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                break;
            } catch (ExecutionException e) {
                // a topic just deleted can take a moment to be gone for good
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
        TopicSetup.awaitServed(admin, topics);
    }

    void delete(Collection<String> topics) throws Exception {
        Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<String> present = topics.stream().filter(existing::contains).toList();
        if (!present.isEmpty()) {
            admin.deleteTopics(present).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
