package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.pulse.config.PulseSettings;
import dev.pulse.model.Stream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TopicSetupTest {

    private static KafkaClusterTestKit cluster;

    @BeforeAll
    static void startBroker() throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void createsTheMissingTopicsWithTheirPartitionsAndChangesNothingTheSecondTime() throws Exception {
        PulseSettings settings = PulseSettings.from(Map.of(
                "pulse.topics.clicks", "a.clicks", "pulse.topics.orders", "a.orders", "pulse.topics.ads", "a.ads",
                "pulse.topics.metrics", "a.metrics", "pulse.topics.metrics-live", "a.metrics.live",
                "pulse.topics.dead-letters", "a.dead-letters", "pulse.topics.alerts", "a.alerts",
                "pulse.topics.alerts-live", "a.alerts.live"));
        try (Admin admin = admin()) {
            // one topic exists already, with a partition count of its own: it is left alone
            admin.createTopics(List.of(new NewTopic("a.alerts", 2, (short) 1))).all().get();

            assertThat(TopicSetup.ensure(admin, settings)).containsExactly(
                    "a.ads", "a.alerts.live", "a.clicks", "a.dead-letters", "a.metrics", "a.metrics.live", "a.orders");
            Map<String, Integer> expected = Map.of("a.clicks", 3, "a.orders", 3, "a.ads", 3, "a.dead-letters", 3,
                    "a.metrics", 1, "a.metrics.live", 1, "a.alerts", 2, "a.alerts.live", 1);
            assertThat(partitions(admin, expected.keySet())).isEqualTo(new TreeMap<>(expected));

            assertThat(TopicSetup.ensure(admin, settings)).isEmpty();
            assertThat(partitions(admin, expected.keySet())).isEqualTo(new TreeMap<>(expected));
        }
    }

    @Test
    void mapsEachStreamToItsInputTopicAndListsEveryTopicOnce() {
        PulseSettings settings = PulseSettings.from(Map.of("pulse.topics.alerts", "pulse.metrics"));
        assertThat(TopicSetup.inputTopics(settings)).containsExactly(
                entry(Stream.CLICK, "pulse.clicks"), entry(Stream.ORDER, "pulse.orders"), entry(Stream.AD, "pulse.ads"));
        assertThat(TopicSetup.partitionsByTopic(settings)).containsExactly(
                entry("pulse.clicks", 3), entry("pulse.orders", 3), entry("pulse.ads", 3),
                entry("pulse.dead-letters", 3), entry("pulse.metrics", 1), entry("pulse.metrics.live", 1),
                entry("pulse.alerts.live", 1));
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    private static Map<String, Integer> partitions(Admin admin, java.util.Collection<String> topics) throws Exception {
        Map<String, Integer> result = new TreeMap<>();
        for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get().values()) {
            result.put(d.name(), d.partitions().size());
        }
        return result;
    }
}
