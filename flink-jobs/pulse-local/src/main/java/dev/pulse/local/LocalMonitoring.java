package dev.pulse.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code pulse demo --prometheus}: the repository's own Prometheus configuration, recording and alerting rules,
 * and Alertmanager routing, run by the servers of the distribution's packages on this machine. The Prometheus
 * configuration is the repository's with its targets moved to the demo's ports and its rule files by absolute
 * path; nothing else changes, so what the demo evaluates is what a deployment evaluates.
 */
final class LocalMonitoring {
    static final String INSTALL_HINT = "install them from your distribution's packages, e.g. on Debian or Ubuntu "
            + "`sudo apt-get install prometheus prometheus-alertmanager` (or the binaries from "
            + "https://prometheus.io/download/ on PATH), or run the demo without --prometheus";

    private final Path home;
    private final Path prometheusBinary;
    private final Path alertmanagerBinary;

    private LocalMonitoring(Path home, Path prometheusBinary, Path alertmanagerBinary) {
        this.home = home;
        this.prometheusBinary = prometheusBinary;
        this.alertmanagerBinary = alertmanagerBinary;
    }

    /** Checks, before anything starts, that both servers are installed and the repository's files are there. */
    static LocalMonitoring find(Path home) {
        return find(home, System.getenv().getOrDefault("PATH", ""));
    }

    static LocalMonitoring find(Path home, String path) {
        Path prometheus = MonitoringServer.onSearchPath(path, "prometheus").orElseThrow(() -> new IllegalStateException(
                "--prometheus: Prometheus is not installed (no `prometheus` on PATH); " + INSTALL_HINT));
        Path alertmanager = MonitoringServer.onSearchPath(path, "prometheus-alertmanager", "alertmanager")
                .orElseThrow(() -> new IllegalStateException("--prometheus: Alertmanager is not installed (no "
                        + "`prometheus-alertmanager` or `alertmanager` on PATH); " + INSTALL_HINT));
        for (String file : List.of("prometheus/prometheus.yml", "prometheus/rules", "alertmanager/alertmanager.yml")) {
            if (!Files.exists(home.resolve(file))) {
                throw new IllegalStateException("--prometheus: " + home.resolve(file) + " is missing: run the demo "
                        + "from the repository (./pulse demo), which has the configuration");
            }
        }
        return new LocalMonitoring(home, prometheus, alertmanager);
    }

    /** The repository's config with the demo's ports and absolute rule paths, written into {@code folder}. */
    Path prometheusConfig(Path folder, int exporterPort, int flinkMetricsPort, int alertmanagerPort)
            throws IOException {
        String config = Files.readString(home.resolve("prometheus/prometheus.yml"))
                .replace("'127.0.0.1:9400'", "'127.0.0.1:" + exporterPort + "'")
                .replace("'127.0.0.1:9249'", "'127.0.0.1:" + flinkMetricsPort + "'")
                .replace("'127.0.0.1:9093'", "'127.0.0.1:" + alertmanagerPort + "'")
                .replace("  - rules/", "  - " + home.resolve("prometheus/rules").toAbsolutePath() + "/");
        Path file = Files.createDirectories(folder).resolve("prometheus.yml");
        Files.writeString(file, "# written by pulse demo from " + home.resolve("prometheus/prometheus.yml")
                + "; edit that one\n" + config);
        return file;
    }

    MonitoringServer startAlertmanager(Path data, int port) throws IOException, InterruptedException {
        return MonitoringServer.start("Alertmanager", List.of(alertmanagerBinary.toString(),
                "--config.file=" + home.resolve("alertmanager/alertmanager.yml").toAbsolutePath(),
                "--storage.path=" + Files.createDirectories(data.resolve("alertmanager")),
                "--web.listen-address=" + LocalPorts.HOST + ":" + port,
                // one instance: no gossip port on every interface
                "--cluster.listen-address="), data.resolve("alertmanager.log"), port);
    }

    MonitoringServer startPrometheus(Path data, Path config, int port) throws IOException, InterruptedException {
        return MonitoringServer.start("Prometheus", List.of(prometheusBinary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + Files.createDirectories(data.resolve("prometheus")),
                "--web.listen-address=" + LocalPorts.HOST + ":" + port), data.resolve("prometheus.log"), port);
    }
}
