package dev.pulse.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker for the laptop: KRaft, broker and controller in one process, listening on
 * 127.0.0.1 only. It runs in a child JVM started from this JVM's class path, so the broker's threads, heap and
 * logs stay apart from Flink's, and it is stopped on {@link #close()}, by a shutdown hook, and (should this JVM
 * be killed outright) by the child itself when it sees its parent gone.
 *
 * <p>Every start begins with an empty log directory: the demo generates its events anew on each run, and a
 * stale topic or consumer offset from an earlier run would only confuse its numbers. {@link #restart()} keeps it
 * (a broker restart in the middle of a run, for the chaos benchmark). The folder keeps the
 * broker's output ({@code broker.log}) and configuration of the last run for inspection.
 *
 * <p>Retention is Kafka's default of 7 days, on purpose: the generator writes current event times and the
 * results topics carry processing-time timestamps, so nothing a demo writes is old enough to be deleted while
 * it runs. (A replay of old events into this broker would need a longer retention on its input topics.)
 */
public final class LocalKafkaBroker implements AutoCloseable {
    public static final int DEFAULT_PORT = 9092;
    private static final String HOST = LocalPorts.HOST;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final int LOG_TAIL_LINES = 30;
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    /** The child JVM; replaced by {@link #restart()}. */
    private volatile Process process;
    private final int port;
    /** The KRaft cluster id the log directory is formatted with; a restart must give the same. */
    private final String clusterId;
    private final Path directory;
    private final FileLock lock;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalKafkaBroker(Process process, int port, String clusterId, Path directory, FileLock lock,
                             boolean stopOnJvmExit) {
        this.process = process;
        this.port = port;
        this.clusterId = clusterId;
        this.directory = directory;
        this.lock = lock;
        this.shutdownHook = stopOnJvmExit ? new Thread(this::stopProcess, "pulse-kafka-broker-shutdown") : null;
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /**
     * Starts a broker and returns once it serves requests.
     *
     * @param directory the broker's folder (log directory, configuration, {@code broker.log}); created if missing
     * @param port the client port on 127.0.0.1, or 0 for any free port
     * @throws IllegalStateException if the port or the folder is in use, or the broker does not come up
     */
    public static LocalKafkaBroker start(Path directory, int port) throws IOException, InterruptedException {
        return start(directory, port, true);
    }

    /**
     * Starts a broker, leaving its stop at JVM exit to the caller when {@code stopOnJvmExit} is false: for a
     * caller that stops several components in order from a shutdown hook of its own (JVM shutdown hooks run
     * concurrently, so a hook of the broker's own would stop it before the components that still use it). The
     * child still ends itself when this JVM is gone.
     */
    public static LocalKafkaBroker start(Path directory, int port, boolean stopOnJvmExit)
            throws IOException, InterruptedException {
        Files.createDirectories(directory);
        FileLock lock = lockFolder(directory);
        try {
            int brokerPort = port;
            if (port == 0) {
                brokerPort = LocalPorts.free();
            } else {
                LocalPorts.requireFree(port, "is another Kafka broker or Pulse demo running?");
            }
            String clusterId = Uuid.randomUuid().toString();
            Process process = launch(directory, writeConfiguration(directory, brokerPort), clusterId);
            LocalKafkaBroker broker = new LocalKafkaBroker(process, brokerPort, clusterId, directory, lock,
                    stopOnJvmExit);
            try {
                broker.awaitReady();
            } catch (InterruptedException | RuntimeException e) {
                broker.close();
                throw e;
            }
            return broker;
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (lock.isValid()) {
                releaseQuietly(lock);
            }
            throw e;
        }
    }

    /** Writes server.properties (with an empty log directory) and the child's logging configuration. */
    private static Path writeConfiguration(Path directory, int brokerPort) throws IOException {
        Path logDirs = directory.resolve("data");
        deleteRecursively(logDirs);
        Files.deleteIfExists(directory.resolve("broker.log"));
        Path serverProperties = directory.resolve("server.properties");
        writeProperties(serverProperties, serverConfig(brokerPort, LocalPorts.free(), logDirs));
        try (InputStream in = LocalKafkaBroker.class.getResourceAsStream("broker-log4j2.properties")) {
            Files.copy(in, directory.resolve("broker-log4j2.properties"), StandardCopyOption.REPLACE_EXISTING);
        }
        return serverProperties;
    }

    /**
     * Starts the child JVM (see {@link KafkaBrokerProcess}), its output going to broker.log. Where {@code setsid}
     * exists the child runs in a session of its own, so a Ctrl-C in the terminal reaches only this JVM, which then
     * stops everything in order (the broker last) instead of the broker going down first.
     */
    private static Process launch(Path directory, Path serverProperties, String clusterId) throws IOException {
        Path logFile = directory.resolve("broker.log");
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx512m", "-XX:+UseG1GC",
                "-Dlog4j2.configurationFile=" + directory.resolve("broker-log4j2.properties").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"),
                KafkaBrokerProcess.class.getName(),
                Long.toString(ProcessHandle.current().pid()),
                clusterId,
                serverProperties.toAbsolutePath().toString()));
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        process.getOutputStream().close(); // the broker reads nothing from its standard input
        return process;
    }

    /** The broker's configuration: one node, loopback only, replication settings a single node can meet. */
    static Properties serverConfig(int brokerPort, int controllerPort, Path logDirs) {
        Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("controller.listener.names", "CONTROLLER"),
                // a dynamic single-voter quorum (formatted with --standalone)
                Map.entry("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort),
                Map.entry("log.dirs", logDirs.toAbsolutePath().toString()),
                // one node: every internal topic has one replica, and one in-sync replica is enough
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("min.insync.replicas", "1"),
                // fewer internal partitions than the default 50: much faster first consumer group and transaction
                Map.entry("offsets.topic.num.partitions", "5"),
                Map.entry("transaction.state.log.num.partitions", "5"),
                // consumers join at once instead of after the default 3 s
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // topics come from TopicSetup with their partition counts; a misspelt topic fails instead of
                // silently creating a one-partition topic
                Map.entry("auto.create.topics.enable", "false"),
                // Kafka's default (7 days), written down: see the class comment
                Map.entry("log.retention.hours", "168"),
                // the default 128 MB compaction buffer is sized for servers, not a laptop heap
                Map.entry("log.cleaner.dedupe.buffer.size", Integer.toString(32 * 1024 * 1024))));
        // transaction.max.timeout.ms stays at Kafka's default (15 min), which PulseSettings validates against
        return p;
    }

    /** Bootstrap servers for clients: {@code 127.0.0.1:port}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    /** Where the child JVM's output goes. */
    public Path logFile() {
        return directory.resolve("broker.log");
    }

    /** The child JVM's process id. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the broker (SIGTERM, then a forced kill after 20 s) and releases the folder. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopProcess();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or about to: it finds the process stopped
            }
        }
        releaseQuietly(lock);
    }

    private void stopProcess() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the broker (SIGTERM, as an operator's restart does) and starts it again on the same port with the same
     * configuration and log directory: topics, committed offsets and transactions survive, as on a real broker.
     * Returns once it serves requests again.
     */
    public void restart() throws IOException, InterruptedException {
        if (closed.get()) {
            throw new IllegalStateException("the broker is closed");
        }
        stopProcess();
        process = launch(directory, directory.resolve("server.properties"), clusterId);
        awaitReady();
    }

    /** Waits until the port answers and the cluster can be described, or fails with the broker's last words. */
    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        boolean portOpen = false;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with code " + process.exitValue()
                        + " while starting; its output (" + logFile() + ") ends with:\n" + logTail());
            }
            if (!portOpen) {
                portOpen = answers(port);
            } else if (describesCluster()) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IllegalStateException("the Kafka broker did not become ready within " + START_TIMEOUT.toSeconds()
                + " s; its output (" + logFile() + ") ends with:\n" + logTail());
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 500);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private boolean describesCluster() throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "pulse-local-readiness",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000))) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (ExecutionException | TimeoutException notYet) {
            return false;
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read it: " + e.getMessage() + ")";
        }
    }

    private static FileLock lockFolder(Path directory) throws IOException {
        FileChannel channel = FileChannel.open(directory.resolve(".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldByThisJvm) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("another Pulse broker is using " + directory.toAbsolutePath()
                    + " (is a demo already running?); stop it or choose another data folder");
        }
        return lock;
    }

    private static void releaseQuietly(FileLock lock) {
        try {
            lock.channel().close(); // releases the lock too
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        }
    }

    private static void writeProperties(Path file, Properties properties) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, "written by Pulse's LocalKafkaBroker at each start; edits are overwritten");
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
