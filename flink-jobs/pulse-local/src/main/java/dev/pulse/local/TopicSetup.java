package dev.pulse.local;

import dev.pulse.config.PulseSettings;
import dev.pulse.kafka.PulseTopics;
import dev.pulse.model.Stream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the Pulse topics of {@link PulseTopics} (partitions and configs) when they are missing; topics that
 * exist are left as they are, so running it again changes nothing.
 */
public final class TopicSetup {
    private static final short REPLICATION = 1;
    private static final long TIMEOUT_SECONDS = 30;

    private TopicSetup() {}

    /** The input topic of each stream, as the generator writes them. */
    public static Map<Stream, String> inputTopics(PulseSettings settings) {
        Map<Stream, String> topics = new EnumMap<>(Stream.class);
        topics.put(Stream.CLICK, settings.clicksTopic);
        topics.put(Stream.ORDER, settings.ordersTopic);
        topics.put(Stream.AD, settings.adsTopic);
        return topics;
    }

    /** Every Pulse topic with its partition count, in a stable order. */
    public static Map<String, Integer> partitionsByTopic(PulseSettings settings) {
        Map<String, Integer> topics = new LinkedHashMap<>();
        PulseTopics.all(settings).forEach(t -> topics.put(t.name(), t.partitions()));
        return topics;
    }

    /**
     * Creates the missing topics and waits until the broker serves them, so whoever starts next (the job, the
     * generator) finds their partitions.
     *
     * @return the names of the topics it created (empty when all existed)
     */
    public static List<String> ensure(Admin admin, PulseSettings settings)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<NewTopic> missing = new ArrayList<>();
        for (PulseTopics.Topic topic : PulseTopics.all(settings)) {
            if (!existing.contains(topic.name())) {
                missing.add(new NewTopic(topic.name(), topic.partitions(), REPLICATION).configs(topic.configs()));
            }
        }
        List<String> created = new ArrayList<>();
        for (var result : admin.createTopics(missing).values().entrySet()) {
            try {
                result.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                created.add(result.getKey());
            } catch (ExecutionException e) {
                // someone else created it between the listing and now: that is what we wanted
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        created.sort(null);
        awaitServed(admin, created);
        return created;
    }

    /**
     * Waits until the broker serves the topics: creation returns once the controller has a topic, its partitions
     * reach the broker a moment later.
     */
    public static void awaitServed(Admin admin, java.util.Collection<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                admin.describeTopics(topics).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
