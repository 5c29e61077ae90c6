package dev.pulse.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A real Prometheus server (the Debian package's binary) as a child process on a free loopback port, scraping
 * the given targets every second. Closing it always ends the process.
 */
final class PrometheusServer extends ServerProcess {

    private PrometheusServer(List<String> command, Path log, int port) throws IOException {
        super(command, log, port);
    }

    /** The prometheus binary on PATH; a missing one fails the test, it is never skipped. */
    static Path binary() {
        return onPath("prometheus");
    }

    static Path promtool() {
        return onPath("promtool");
    }

    static PrometheusServer start(List<String> targets, Path workDir) throws IOException {
        Path config = workDir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                + "scrape_configs:\n  - job_name: pulse-exporter\n    static_configs:\n      - targets: ['"
                + String.join("', '", targets) + "']\n");
        return start(config, workDir);
    }

    /** With a configuration file of the caller's; its data in {@code workDir/data} (which may hold backfill). */
    static PrometheusServer start(Path config, Path workDir) throws IOException {
        int port = freePort();
        return new PrometheusServer(List.of(binary().toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + Files.createDirectories(workDir.resolve("data")),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn"), workDir.resolve("prometheus.log"), port).ready();
    }

    /** Evaluates an instant query; the result as label set to value. */
    Map<Map<String, String>, Double> query(String promql, Instant time) throws IOException, InterruptedException {
        JsonNode body = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&time=" + seconds(time), "query " + promql);
        if (!"vector".equals(body.path("data").path("resultType").asText())) {
            throw new AssertionError("query " + promql + " is not an instant vector: " + body);
        }
        Map<Map<String, String>, Double> result = new HashMap<>();
        for (JsonNode series : body.path("data").path("result")) {
            Map<String, String> labels = new HashMap<>();
            series.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            result.put(labels, Double.parseDouble(series.path("value").get(1).asText()));
        }
        return result;
    }

    /**
     * The values of a label on the series a selector matches between the two times, as Grafana's
     * {@code label_values(metric, label)} asks for them.
     */
    Set<String> labelValues(String label, String match, Instant start, Instant end)
            throws IOException, InterruptedException {
        JsonNode body = get("/api/v1/label/" + label + "/values?match%5B%5D=" + URLEncoder.encode(match,
                StandardCharsets.UTF_8) + "&start=" + seconds(start) + "&end=" + seconds(end),
                "label values of " + label + " on " + match);
        Set<String> values = new TreeSet<>();
        body.path("data").forEach(value -> values.add(value.asText()));
        return values;
    }

    private JsonNode get(String pathAndQuery, String what) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + pathAndQuery)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = Json.MAPPER.readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new AssertionError(what + " failed: " + response.body());
        }
        return body;
    }

    private static String seconds(Instant time) {
        return time.getEpochSecond() + "." + String.format("%03d", time.getNano() / 1_000_000);
    }
}
