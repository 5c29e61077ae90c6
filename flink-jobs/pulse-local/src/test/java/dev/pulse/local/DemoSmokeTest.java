package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.catalog.JobMetric;
import dev.pulse.catalog.MetricDefinition;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse demo} as a user runs it: within a minute the exporter serves moving page views, then the final
 * value of a closed minute; the demo stops by itself and cleanly.
 */
@Timeout(300)
class DemoSmokeTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path data;

    @Test
    void showsNumbersWithinAMinuteAndStopsCleanly() throws Exception {
        int exporterPort = freePort();
        int flinkMetricsPort = freePort();
        String[] args = {"demo", "--duration", "170s", "--no-view", "--kafka-port", "0",
                "--ui-port", String.valueOf(freePort()), "--exporter-port", String.valueOf(exporterPort),
                "--flink-metrics-port", String.valueOf(flinkMetricsPort), "--data-dir", data.toString()};
        CompletableFuture<Integer> demo = CompletableFuture.supplyAsync(() -> LocalCli.commandLine().execute(args));

        String current = MetricDefinition.PAGE_VIEWS.runningName();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                .until(() -> total(scrape(exporterPort), current) > 0);
        double first = total(scrape(exporterPort), current);
        // running values move while the minute is open, or the minute closes and starts again
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2))
                .until(() -> total(scrape(exporterPort), current) != first);
        // the job's own counters reach Flink's Prometheus reporter under the names the catalog gives
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            String flink = scrape(flinkMetricsPort);
            for (JobMetric metric : JobMetric.values()) {
                assertThat(PrometheusText.parse(flink).sum(metric.prometheusName())).as(metric.prometheusName())
                        .isPresent();
            }
            assertThat(PrometheusText.parse(flink).sum(JobMetric.EVENTS_IN.prometheusName()).orElse(0))
                    .isPositive();
        });
        String last = MetricDefinition.PAGE_VIEWS.finalName();
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(3))
                .until(() -> total(scrape(exporterPort), last) > 0);

        assertThat(demo.get(200, TimeUnit.SECONDS)).isZero();
    }

    private static double total(String exposition, String metric) {
        return PrometheusText.parse(exposition).sum(metric).orElse(0);
    }

    private static String scrape(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return ""; // not up yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
