package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaBrokerTest {

    @TempDir
    Path folder;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void servesTransactionsInAChildJvmSurvivesARestartAndLeavesNoProcessBehind() throws Exception {
        long pid;
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(folder, 0)) {
            pid = broker.pid();
            assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "local-broker-test"),
                    new StringSerializer(), new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("t", "k", "committed-1"));
                producer.commitTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("t", "k", "aborted"));
                producer.flush();
                producer.abortTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("t", "k", "committed-2"));
                producer.commitTransaction();
            }
            assertThat(readCommitted(broker.bootstrapServers(), 2)).containsExactly("committed-1", "committed-2");

            // the same folder cannot serve a second broker while this one runs
            assertThatThrownBy(() -> LocalKafkaBroker.start(folder, 0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another Pulse broker is using");
            assertThat(Files.readString(broker.logFile())).contains("Kafka Server started");

            // a restart (the chaos benchmark's) keeps the port, the topics and the committed records
            int port = broker.port();
            broker.restart();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            pid = broker.pid();
            assertThat(broker.port()).isEqualTo(port);
            // (a new group: the first one's committed offsets survive too, past both records)
            assertThat(readCommitted(broker.bootstrapServers(), 2, "after-restart"))
                    .containsExactly("committed-1", "committed-2");
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    @Timeout(30)
    void refusesAPortInUseWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> LocalKafkaBroker.start(folder, taken.getLocalPort()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use;"
                            + " is another Kafka broker or Pulse demo running?");
        }
        // and the folder was released: nothing holds its lock
        try (var channel = java.nio.channels.FileChannel.open(folder.resolve(".lock"),
                java.nio.file.StandardOpenOption.WRITE);
                var lock = channel.tryLock()) {
            assertThat(lock).isNotNull();
        }
    }

    /** Stands in for a demo JVM: starts a broker, prints the broker's pid, and waits to be killed. */
    public static final class BrokerParent {
        public static void main(String[] args) throws Exception {
            LocalKafkaBroker broker = LocalKafkaBroker.start(Path.of(args[0]), 0);
            System.out.println("broker-pid=" + broker.pid());
            System.out.flush();
            new java.util.concurrent.CountDownLatch(1).await();
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theBrokerEndsItselfWhenItsParentIsKilledOutright() throws Exception {
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BrokerParent.class.getName(), folder.toString())
                .redirectErrorStream(true)
                .start();
        try (var output = new java.io.BufferedReader(new java.io.InputStreamReader(parent.getInputStream()))) {
            long brokerPid = -1;
            for (String line; brokerPid < 0 && (line = output.readLine()) != null; ) {
                if (line.startsWith("broker-pid=")) {
                    brokerPid = Long.parseLong(line.substring("broker-pid=".length()));
                }
            }
            assertThat(brokerPid).as("the parent started a broker").isPositive();
            ProcessHandle broker = ProcessHandle.of(brokerPid).orElseThrow();

            parent.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook runs

            // Kafka's own shutdown takes a few seconds
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !broker.isAlive());
        } finally {
            parent.destroyForcibly();
        }
    }

    private static List<String> readCommitted(String bootstrapServers, int expected) {
        return readCommitted(bootstrapServers, expected, "local-broker-test");
    }

    private static List<String> readCommitted(String bootstrapServers, int expected, String group) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(Set.of("t"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
            // one more poll: an aborted record would show up here if read_committed did not hide it
            consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
        }
        return values;
    }
}
