package dev.pulse.local;

import dev.pulse.cli.ConfigMixin;
import dev.pulse.cli.DurationConverter;
import dev.pulse.config.PulseOptions;
import dev.pulse.config.PulseSettings;
import dev.pulse.export.ExporterSettings;
import dev.pulse.export.MetricsExporter;
import dev.pulse.generator.GeneratorRunner;
import dev.pulse.generator.GeneratorSettings;
import dev.pulse.generator.GeneratorStats;
import dev.pulse.generator.KafkaEventWriter;
import dev.pulse.model.Stream;
import dev.pulse.pipeline.MetricsJob;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pulse demo}: the whole pipeline on one laptop, from one command. Starts, in this order, a Kafka broker
 * (child JVM), the Pulse topics, the exporter, the metrics job on a local Flink cluster with its web UI, with
 * {@code --prometheus} Alertmanager and Prometheus, and the event generator (days of history first, then live); prints where to look, then shows a live view until Ctrl-C (or {@code --duration}), and stops
 * everything in reverse order. Every server listens on 127.0.0.1 only.
 *
 * <p>Options: {@code --seed} (generator), {@code --kafka-port} (9092; 0 for any free port), {@code --ui-port}
 * (Flink web UI, 8081), {@code --exporter-port} (9400), {@code --flink-metrics-port} (Flink's Prometheus
 * reporter, 9249), {@code --data-dir} (./pulse-data: broker data, checkpoints, logs), {@code --duration} (stop by
 * itself after this long, e.g. 90s or 5min), {@code --refresh} (view refresh, 3s), {@code --no-view},
 * {@code --gmv-target} (the day's GMV target of the war room, 500000), {@code --history} (business days of light traffic before the live traffic, 1), {@code --prometheus} (also
 * Prometheus and Alertmanager from the distribution's packages, on {@code --prometheus-port} 9090 and
 * {@code --alertmanager-port} 9093, with the repository's configuration), and the shared {@code --config FILE} /
 * {@code -Dkey=value}.
 *
 * <p>This is the one class of the local runtime that calls the job, the generator and the exporter.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run everything locally: Kafka, the metrics job with Flink's web UI, the generator, "
                + "the exporter, and a live view. Ctrl-C stops it all.")
public class DemoCommand implements Callable<Integer> {
    private static final String JOB_NAME = "pulse-metrics";
    /** MAU looks 30 business days back: more history than that shows nothing new. */
    private static final int MAX_HISTORY_DAYS = 31;

    @Mixin
    ConfigMixin config = new ConfigMixin();

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1", description = "Seed of the event generator (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "9092",
            description = "Kafka port on 127.0.0.1; 0 for any free port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--ui-port", paramLabel = "PORT", defaultValue = "8081", description = "Flink web UI port (default: ${DEFAULT-VALUE}).")
    int uiPort;

    @Option(names = "--exporter-port", paramLabel = "PORT", defaultValue = "9400",
            description = "Port of the exporter's /metrics (default: ${DEFAULT-VALUE}).")
    int exporterPort;

    @Option(names = "--flink-metrics-port", paramLabel = "PORT", defaultValue = "9249",
            description = "Port of Flink's own Prometheus metrics (default: ${DEFAULT-VALUE}).")
    int flinkMetricsPort;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "pulse-data",
            description = "Folder for the broker's data, checkpoints and logs (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop by itself after this long (e.g. 90s, 5min); default: run until Ctrl-C.")
    Duration duration;

    @Option(names = "--refresh", paramLabel = "DURATION", defaultValue = "3s", converter = DurationConverter.class,
            description = "How often the live view redraws (default: ${DEFAULT-VALUE}).")
    Duration refresh;

    @Option(names = "--no-view", description = "No live view: only the start and stop messages.")
    boolean noView;

    @Option(names = "--history", paramLabel = "DAYS", defaultValue = "1",
            description = "Business days of light traffic written before the live traffic, so that yesterday's "
                    + "final values show from the start; 2 or more for D1 retention, 8 for D7 (the live numbers then "
                    + "start about two minutes later); 0 for none (default: ${DEFAULT-VALUE}).")
    int historyDays;

    @Option(names = "--gmv-target", paramLabel = "AMOUNT", defaultValue = "500000",
            description = "The day's GMV target the war-room page and dashboard measure against, in the shop's "
                    + "currency; sized to the demo's history and a run of minutes (default: ${DEFAULT-VALUE}).")
    double gmvTarget;

    @Option(names = "--prometheus", description = "Also start Prometheus and Alertmanager (from the distribution's "
            + "packages) with the repository's configuration, rules and alert routing.")
    boolean withPrometheus;

    @Option(names = "--prometheus-port", paramLabel = "PORT", defaultValue = "9090",
            description = "Prometheus port with --prometheus (default: ${DEFAULT-VALUE}).")
    int prometheusPort;

    @Option(names = "--alertmanager-port", paramLabel = "PORT", defaultValue = "9093",
            description = "Alertmanager port with --prometheus (default: ${DEFAULT-VALUE}).")
    int alertmanagerPort;

    private final PrintStream out = System.out;
    private final ShutdownSequence shutdown = new ShutdownSequence(out);
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** Counted down when the demo should end before its time: the job or the generator failed, or {@link #stop}. */
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicReference<String> failure = new AtomicReference<>();

    @Override
    public Integer call() throws Exception {
        long startedNanos = System.nanoTime();
        Path data = dataDir.toAbsolutePath().normalize();
        // everything that can be checked up front is, before anything starts
        requirePort(kafkaPort, 0, "--kafka-port");
        requirePort(uiPort, 1, "--ui-port");
        requirePort(exporterPort, 1, "--exporter-port");
        requirePort(flinkMetricsPort, 1, "--flink-metrics-port");
        if (historyDays < 0 || historyDays > MAX_HISTORY_DAYS) {
            throw new IllegalArgumentException("--history must be between 0 and " + MAX_HISTORY_DAYS + " days, was "
                    + historyDays);
        }
        LocalMonitoring monitoring = null;
        if (withPrometheus) {
            requirePort(prometheusPort, 1, "--prometheus-port");
            requirePort(alertmanagerPort, 1, "--alertmanager-port");
            monitoring = LocalMonitoring.find(home());
            LocalPorts.requireFree(prometheusPort, "choose another with --prometheus-port");
            LocalPorts.requireFree(alertmanagerPort, "choose another with --alertmanager-port");
        }
        PulseSettings settings = settings(data);
        LocalPorts.requireFree(uiPort, "choose another with --ui-port");
        LocalPorts.requireFree(exporterPort, "choose another with --exporter-port");
        LocalPorts.requireFree(flinkMetricsPort, "choose another with --flink-metrics-port");
        Files.createDirectories(data);
        Path logFile = data.resolve("pulse.log");
        LocalLogging.writeTo(logFile);

        out.println("Pulse demo: starting (data in " + data + ", logs in " + logFile + ")");
        Thread hook = new Thread(this::stopAll, "pulse-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            LocalKafkaBroker broker = startBroker(data.resolve("kafka"));
            createTopics(broker, settings);
            URI metricsUri = startExporter(settings);
            JobClient job = startJob(settings);
            String prometheusUrl = monitoring == null ? null : startMonitoring(monitoring, data);
            GeneratorStats stats = startGenerator(settings);

            out.println(duration == null ? "Running; Ctrl-C stops everything." : "Running for " + duration.toSeconds() + " s.");
            if (!noView) {
                String footer = "Flink UI " + uiUrl() + " | metrics " + metricsUri
                        + (prometheusUrl == null ? "" : " | Prometheus " + prometheusUrl) + " | Kafka "
                        + broker.bootstrapServers() + " | Ctrl-C stops";
                LatestAlerts alerts = new LatestAlerts(broker.bootstrapServers(), settings.liveAlertsTopic, 5);
                shutdown.add("alerts of the live view", Duration.ofSeconds(3), alerts::close);
                TerminalView view = new TerminalView(metricsUri, stats::sent, () -> status(job), alerts::latest, footer,
                        refresh, out, TerminalView.stdoutIsTerminal(), startedNanos);
                view.start();
                shutdown.add("live view", Duration.ofSeconds(3), view::close);
            }

            if (duration == null) {
                ended.await();
            } else {
                ended.await(duration.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (failure.get() != null) {
                out.println("Pulse demo: " + failure.get() + " (see " + logFile + ")");
            }
        } finally {
            // on a normal end (duration, failure, an error while starting) stop here; on Ctrl-C the hook does it
            stopAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // Ctrl-C came in meanwhile: the hook finds the sequence done
            }
        }
        return failure.get() == null ? 0 : 1;
    }

    private LocalKafkaBroker startBroker(Path folder) throws Exception {
        // stopped last, from this command's own sequence: a shutdown hook of the broker's would race it
        LocalKafkaBroker broker = LocalKafkaBroker.start(folder, kafkaPort, false);
        shutdown.add("Kafka broker", Duration.ofSeconds(30), broker::close);
        printStep("Kafka broker", broker.bootstrapServers() + "  (output: " + broker.logFile() + ")");
        return broker;
    }

    private void createTopics(LocalKafkaBroker broker, PulseSettings settings) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            List<String> created = TopicSetup.ensure(admin, settings);
            printStep("topics", created.isEmpty() ? "all present" : "created " + String.join(", ", created));
        }
    }

    private URI startExporter(PulseSettings settings) {
        MetricsExporter exporter = MetricsExporter.start(
                ExporterSettings.from(settings).withHost(LocalPorts.HOST).withPort(exporterPort)
                        .withGmvTarget(gmvTarget));
        shutdown.add("exporter", Duration.ofSeconds(10), exporter::close);
        URI metricsUri = URI.create("http://" + LocalPorts.HOST + ":" + exporter.port() + "/metrics");
        printStep("exporter", metricsUri.toString());
        printStep("war room", "http://" + LocalPorts.HOST + ":" + exporter.port() + "/  (the big-screen page)");
        return metricsUri;
    }

    private JobClient startJob(PulseSettings settings) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(
                flinkConfiguration(settings));
        MetricsJob.attach(env, settings);
        JobClient job = env.executeAsync(JOB_NAME);
        shutdown.add("Flink job", Duration.ofSeconds(20), () -> cancel(job));
        // the job never ends by itself: unless we are stopping it, its end is a failure
        job.getJobExecutionResult().whenComplete((result, error) ->
                fail("the Flink job ended" + (error == null ? "" : ": " + rootMessage(error))));
        printStep("Flink job", JOB_NAME + " " + job.getJobID() + ", web UI " + uiUrl());
        printStep("Flink metrics", "http://" + LocalPorts.HOST + ":" + flinkMetricsPort + "/metrics");
        return job;
    }

    /** Alertmanager first, so that Prometheus finds it; both stopped before the exporter and the job. */
    private String startMonitoring(LocalMonitoring monitoring, Path data) throws Exception {
        Path folder = data.resolve("monitoring");
        MonitoringServer alertmanager = monitoring.startAlertmanager(folder, alertmanagerPort);
        shutdown.add("Alertmanager", Duration.ofSeconds(20), alertmanager::close);
        printStep("Alertmanager", alertmanager.url() + "  (routing: alertmanager/alertmanager.yml)");
        Path config = monitoring.prometheusConfig(folder, exporterPort, flinkMetricsPort, alertmanagerPort);
        MonitoringServer prometheus = monitoring.startPrometheus(folder, config, prometheusPort);
        shutdown.add("Prometheus", Duration.ofSeconds(20), prometheus::close);
        printStep("Prometheus", prometheus.url() + "  (alerts: " + prometheus.url() + "/alerts; rules: "
                + "prometheus/rules)");
        return prometheus.url().toString();
    }

    private GeneratorStats startGenerator(PulseSettings settings) {
        Map<Stream, String> topics = TopicSetup.inputTopics(settings);
        GeneratorStats stats = new GeneratorStats();
        KafkaEventWriter writer = new KafkaEventWriter(settings.bootstrapServers, topics);
        List<GeneratorRunner> runs = new ArrayList<>();
        if (historyDays > 0) {
            Instant now = Instant.now();
            Instant start = LocalDate.now(settings.timeZone).minusDays(historyDays).atStartOfDay(settings.timeZone)
                    .toInstant();
            runs.add(new GeneratorRunner(GeneratorSettings.demoHistory(seed, start, now), writer, stats));
            printStep("history", historyDays + (historyDays == 1 ? " business day" : " business days") + " before today in " + settings.timeZone + ", "
                    + GeneratorSettings.HISTORY_SESSIONS_PER_MINUTE + " sessions per minute, as fast as the job "
                    + "takes them");
        }
        runs.add(new GeneratorRunner(GeneratorSettings.demo(seed), writer, stats));
        AtomicBoolean stopped = new AtomicBoolean();
        Thread thread = new Thread(() -> {
            try {
                for (GeneratorRunner run : runs) {
                    if (!stopped.get()) {
                        run.run();
                    }
                }
            } catch (RuntimeException e) {
                fail("the generator failed: " + rootMessage(e));
            }
        }, "pulse-generator");
        thread.setDaemon(true);
        thread.start();
        shutdown.add("generator", Duration.ofSeconds(10), () -> {
            stopped.set(true);
            runs.forEach(GeneratorRunner::stop);
            thread.join(TimeUnit.SECONDS.toMillis(5));
            writer.close();
        });
        printStep("generator", "seed " + seed + ", writing to " + String.join(", ", topics.values()));
        return stats;
    }

    /** The repository the demo runs from (set by ./pulse), where the Prometheus and Alertmanager files are. */
    private static Path home() {
        return Path.of(System.getProperty("pulse.home", ".")).toAbsolutePath().normalize();
    }

    /** Ends the demo as its duration would: for a caller that has seen what it came for. */
    void stop() {
        ended.countDown();
    }

    /** Ends the demo early with a reason, unless it is already stopping (then the end is expected). */
    private void fail(String reason) {
        if (!stopping.get() && failure.compareAndSet(null, reason)) {
            ended.countDown();
        }
    }

    private void stopAll() {
        if (stopping.compareAndSet(false, true)) {
            out.println(); // after the ^C the terminal echoed
            out.println("Pulse demo: stopping");
        }
        shutdown.run();
    }

    private String uiUrl() {
        return "http://" + LocalPorts.HOST + ":" + uiPort;
    }

    private static void requirePort(int port, int lowest, String option) {
        if (port < lowest || port > 65_535) {
            throw new IllegalArgumentException(option + " must be between " + lowest + " and 65535, was " + port);
        }
    }

    /** Pulse settings with the demo's own defaults: its broker, checkpoints in the data folder. */
    private PulseSettings settings(Path data) {
        if (config.configuration().containsKey(PulseOptions.BOOTSTRAP_SERVERS.key())) {
            throw new IllegalArgumentException("the demo runs its own Kafka broker: set its port with --kafka-port,"
                    + " not " + PulseOptions.BOOTSTRAP_SERVERS.key());
        }
        if (kafkaPort == 0) {
            kafkaPort = LocalPorts.free();
        }
        config.defaultTo(PulseOptions.BOOTSTRAP_SERVERS.key(), LocalPorts.HOST + ":" + kafkaPort);
        config.defaultTo(PulseOptions.CHECKPOINT_DIR.key(), data.resolve("checkpoints").toUri().toString());
        return config.settings();
    }

    /** The job's configuration plus the local cluster's: web UI and Prometheus reporter, both on 127.0.0.1. */
    private Configuration flinkConfiguration(PulseSettings settings) {
        Configuration conf = MetricsJob.flinkConfiguration(settings);
        conf.set(RestOptions.BIND_ADDRESS, LocalPorts.HOST);
        // the blob server and the task manager's data server would otherwise listen on every interface
        conf.set(JobManagerOptions.BIND_HOST, LocalPorts.HOST);
        conf.set(TaskManagerOptions.BIND_HOST, LocalPorts.HOST);
        conf.set(RestOptions.ADDRESS, LocalPorts.HOST);
        conf.set(RestOptions.PORT, uiPort);
        conf.addAll(Configuration.fromMap(Map.of(
                "metrics.reporter.prom.factory.class", LoopbackPrometheusReporterFactory.class.getName(),
                "metrics.reporter.prom.port", Integer.toString(flinkMetricsPort))));
        return conf;
    }

    /** Cancels the job and waits until it has stopped (its result then completes, exceptionally). */
    private static void cancel(JobClient job) throws Exception {
        job.cancel().get(15, TimeUnit.SECONDS);
        try {
            job.getJobExecutionResult().get(15, TimeUnit.SECONDS);
        } catch (ExecutionException cancelled) {
            // the expected end of a cancelled job
        }
    }

    private void printStep(String what, String detail) {
        out.printf("  %-14s %s%n", what, detail);
    }

    private static String status(JobClient job) {
        try {
            return job.getJobStatus().get(1, TimeUnit.SECONDS).name();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }
}
