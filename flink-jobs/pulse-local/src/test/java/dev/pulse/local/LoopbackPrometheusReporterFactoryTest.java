package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.local.LoopbackPrometheusReporterFactory.LoopbackPrometheusReporter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.flink.metrics.CharacterFilter;
import org.apache.flink.metrics.LogicalScopeProvider;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LoopbackPrometheusReporterFactoryTest {

    /** A task-level metric group as Flink hands it to reporters: a logical scope and scope variables. */
    static final class TaskGroup extends UnregisteredMetricsGroup implements LogicalScopeProvider {
        @Override
        public Map<String, String> getAllVariables() {
            return Map.of("<job_name>", "pulse-metrics", "<subtask_index>", "0");
        }

        @Override
        public String getLogicalScope(CharacterFilter filter) {
            return getLogicalScope(filter, '.');
        }

        @Override
        public String getLogicalScope(CharacterFilter filter, char delimiter) {
            return "taskmanager" + delimiter + "job" + delimiter + "task";
        }

        @Override
        public MetricGroup getWrappedMetricGroup() {
            return this;
        }
    }

    @Test
    void servesFlinksMetricsOnTheLoopbackAddressOnly() throws Exception {
        int port = LocalPorts.free();
        MetricConfig config = new MetricConfig();
        config.setProperty("port", Integer.toString(port));
        LoopbackPrometheusReporter reporter =
                (LoopbackPrometheusReporter) new LoopbackPrometheusReporterFactory().createMetricReporter(config);
        try {
            reporter.open(config);
            SimpleCounter records = new SimpleCounter();
            records.inc(7);
            reporter.notifyOfAddedMetric(records, "numRecordsIn", new TaskGroup());

            assertThat(reporter.port()).isEqualTo(port);
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            PrometheusText text = PrometheusText.parse(response.body());
            assertThat(text.sum("flink_taskmanager_job_task_numRecordsIn")).isEqualTo(OptionalDouble.of(7));
            assertThat(text.samples()).filteredOn(s -> s.name().equals("flink_taskmanager_job_task_numRecordsIn"))
                    .singleElement()
                    // Flink's reporter turns characters Prometheus label values should not hold into '_'
                    .satisfies(s -> assertThat(s.labels()).isEqualTo(Map.of("job_name", "pulse_metrics",
                            "subtask_index", "0")));
            assertThat(listeningAddresses(port)).containsExactly("127.0.0.1");
        } finally {
            reporter.close();
        }
    }

    /**
     * The local addresses of the sockets listening on this port, from the kernel's socket tables (Linux): an IPv4
     * address, "0.0.0.0" or "::" for every interface. Java binds IPv4 addresses through IPv6 sockets, where they
     * show as v4-mapped addresses (::ffff:127.0.0.1).
     */
    private static List<String> listeningAddresses(int port) throws Exception {
        assertThat(Path.of("/proc/net/tcp")).as("this check reads Linux's socket table").exists();
        List<String> addresses = new ArrayList<>();
        String portSuffix = String.format(":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            if (!Files.exists(Path.of(table))) {
                continue;
            }
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                // f[1] is local address:port in hex, f[3] the state: 0A is LISTEN
                if (f.length > 3 && f[1].endsWith(portSuffix) && f[3].equals("0A")) {
                    String hex = f[1].substring(0, f[1].indexOf(':'));
                    addresses.add(address(hex));
                }
            }
        }
        return addresses;
    }

    private static String address(String hex) {
        if (hex.length() == 32) {
            if (hex.equals("0".repeat(32))) {
                return "::";
            }
            if (!hex.startsWith("0000000000000000FFFF0000")) {
                return "IPv6 " + hex;
            }
            hex = hex.substring(24);
        }
        // the kernel prints the 32-bit address in host (little-endian) byte order
        return Integer.parseInt(hex.substring(6, 8), 16) + "." + Integer.parseInt(hex.substring(4, 6), 16) + "."
                + Integer.parseInt(hex.substring(2, 4), 16) + "." + Integer.parseInt(hex.substring(0, 2), 16);
    }
}
