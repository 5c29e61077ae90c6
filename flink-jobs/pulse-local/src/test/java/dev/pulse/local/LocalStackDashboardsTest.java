package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.catalog.MetricDefinition;
import dev.pulse.json.Json;
import dev.pulse.testing.RepoFiles;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The dashboards against the running local stack: {@code pulse demo --prometheus} with eight business days of
 * history (so yesterday's finals, MAU and D7 retention exist) and its generated fraud incidents, the real Kafka,
 * Flink job, exporter, Flink reporter, Prometheus with the repository's rules and Alertmanager; then every panel
 * query and every template variable of every dashboard in dashboards/ must return data from that Prometheus.
 * The active-alerts and risk panels show only during an incident: the generator stages them.
 *
 * <p>A fresh Prometheus has no yesterday and no last week: the queries "at the same time yesterday / last week"
 * ({@code offset 1d}, {@code offset 7d}) get it by backfill (promtool), a series per label set of the catalog
 * entry, before the demo starts.
 */
@Timeout(value = 9, unit = TimeUnit.MINUTES)
class LocalStackDashboardsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern OFFSET = Pattern.compile("([a-z_]+)(\\{[^}]*\\})? offset (\\d+)d");
    private static final Map<String, String> ALL = Map.of("$channel", ".*", "$platform", ".*", "$campaign", ".*",
            "$__rate_interval", "1m");

    @TempDir
    Path data;

    @Test
    void everyPanelQueryAndVariableOfEveryDashboardHasDataFromTheLocalStack() throws Exception {
        Map<String, String> queries = panelQueries();
        Map<String, String[]> variables = variableQueries();
        backfillOffsets(queries.values(), data.resolve("monitoring/prometheus"));

        int prometheusPort = LocalPorts.free();
        // "today" panels have nothing in the first half hour of a business day (a session counts once it has been
        // quiet for 30 minutes): the demo runs in a zone where it is about noon, whenever the test runs
        ZoneOffset noon = ZoneOffset.ofHours(12 - ZonedDateTime.now(ZoneOffset.UTC).getHour());
        String[] args = {"--no-view", "--duration", "8m", "--history", "8", "--prometheus",
                "-D", "pulse.time-zone=" + noon.getId(),
                "--kafka-port", "0", "--ui-port", String.valueOf(LocalPorts.free()),
                "--exporter-port", String.valueOf(LocalPorts.free()),
                "--flink-metrics-port", String.valueOf(LocalPorts.free()),
                "--prometheus-port", String.valueOf(prometheusPort),
                "--alertmanager-port", String.valueOf(LocalPorts.free()), "--data-dir", data.toString()};
        System.setProperty("pulse.home", RepoFiles.root().toString());
        DemoCommand demo = new DemoCommand();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> new CommandLine(demo).execute(args));
        try {
            URI prometheus = URI.create("http://127.0.0.1:" + prometheusPort);
            Set<String> empty = new TreeSet<>();
            try {
                // Prometheus starts after the broker and the job: refused connections until then
                await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(10))
                        .ignoreExceptionsInstanceOf(ConnectException.class).until(() -> {
                    if (run.isDone()) {
                        fail("the demo ended early with " + run.get() + "; see " + data.resolve("pulse.log"));
                    }
                    empty.clear();
                    for (Map.Entry<String, String> query : queries.entrySet()) {
                        if (!hasData(prometheus, "/api/v1/query?query=" + encode(query.getValue()))) {
                            empty.add(query.getKey() + ": " + query.getValue());
                        }
                    }
                    for (Map.Entry<String, String[]> variable : variables.entrySet()) {
                        String[] metricAndLabel = variable.getValue();
                        if (!hasData(prometheus, "/api/v1/label/" + metricAndLabel[1] + "/values?match[]="
                                + encode(metricAndLabel[0]))) {
                            empty.add(variable.getKey());
                        }
                    }
                    return empty.isEmpty();
                });
            } catch (ConditionTimeoutException e) {
                fail("panels without data from the local stack:\n  " + String.join("\n  ", empty), e);
            }
            assertThat(queries).hasSizeGreaterThan(100);
        } finally {
            demo.stop();
            assertThat(run.get(90, TimeUnit.SECONDS)).as("the demo's exit code").isZero();
        }
    }

    /** Dashboard uid, panel title and refId to the query as Grafana sends it with every variable at All. */
    private static Map<String, String> panelQueries() throws IOException {
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode dashboard : RepoFiles.dashboards()) {
            for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    String expr = target.path("expr").asText();
                    for (Map.Entry<String, String> value : ALL.entrySet()) {
                        expr = expr.replace(value.getKey(), value.getValue());
                    }
                    assertThat(expr).as("%s uses a variable this test does not fill in", panel.path("title"))
                            .doesNotContain("$");
                    queries.put(dashboard.path("uid").asText() + " / " + panel.path("title").asText() + " / "
                            + target.path("refId").asText(), expr);
                }
            }
        }
        return queries;
    }

    /** Dashboard uid and variable name to the metric and label of its label_values query. */
    private static Map<String, String[]> variableQueries() throws IOException {
        Map<String, String[]> variables = new LinkedHashMap<>();
        for (JsonNode dashboard : RepoFiles.dashboards()) {
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                if (variable.path("type").asText().equals("query")) {
                    variables.put(dashboard.path("uid").asText() + " / $" + variable.path("name").asText(),
                            new String[] {variable.path("query").path("metric").asText(),
                                    variable.path("query").path("label").asText()});
                }
            }
        }
        assertThat(variables).isNotEmpty();
        return variables;
    }

    /**
     * Blocks with a series for each metric an offset query reads, over the 20 minutes around now minus the
     * offset, labelled as its catalog entry says, written where the demo's Prometheus keeps its data.
     */
    private static void backfillOffsets(Iterable<String> queries, Path prometheusData) throws Exception {
        Map<String, Set<Integer>> offsets = new LinkedHashMap<>();
        for (String query : queries) {
            Matcher m = OFFSET.matcher(query);
            while (m.find()) {
                offsets.computeIfAbsent(m.group(1), name -> new TreeSet<>()).add(Integer.parseInt(m.group(3)));
            }
        }
        assertThat(offsets).as("queries of yesterday and last week").isNotEmpty();
        StringBuilder openMetrics = new StringBuilder();
        long now = Instant.now().getEpochSecond();
        offsets.forEach((name, days) -> {
            MetricDefinition metric = catalogEntry(name);
            String labels = metric.labels().stream().map(label -> label + "=\"" + sampleValue(label) + "\"")
                    .collect(Collectors.joining(",", "{", "}"));
            openMetrics.append("# TYPE ").append(name).append(" gauge\n");
            for (int day : days) {
                long center = now - day * 86_400L;
                for (long t = center - 600; t <= center + 600; t += 15) {
                    openMetrics.append(name).append(labels).append(' ').append(t - center + 1_000).append(' ')
                            .append(t).append('\n');
                }
            }
        });
        openMetrics.append("# EOF\n");
        Path file = Files.createDirectories(prometheusData).resolveSibling("backfill.om");
        Files.writeString(file, openMetrics);
        Path promtool = MonitoringServer.onPath("promtool").orElseThrow(() -> new AssertionError(
                "promtool is not installed: run .ci/install-servers.sh (" + LocalMonitoring.INSTALL_HINT + ")"));
        Process process = new ProcessBuilder(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics",
                file.toString(), prometheusData.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("promtool backfill:\n%s", output).isZero();
    }

    private static MetricDefinition catalogEntry(String sampleName) {
        for (MetricDefinition definition : MetricDefinition.values()) {
            if (definition.runningName().equals(sampleName) || definition.finalName().equals(sampleName)) {
                return definition;
            }
        }
        throw new AssertionError(sampleName + " is not in the catalog");
    }

    private static String sampleValue(String label) {
        return switch (label) {
            case "currency" -> "CNY";
            case "channel" -> "organic";
            case "platform" -> "app";
            default -> "x";
        };
    }

    private static boolean hasData(URI prometheus, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(prometheus + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return false; // not up yet
        }
        JsonNode body = Json.MAPPER.readTree(response.body());
        JsonNode result = body.path("data").has("result") ? body.path("data").path("result") : body.path("data");
        return result.isArray() && !result.isEmpty();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
