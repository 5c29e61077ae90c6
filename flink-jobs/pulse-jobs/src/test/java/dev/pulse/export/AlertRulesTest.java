package dev.pulse.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pulse.testing.RepoFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The alerting and recording rules and the Alertmanager configuration: valid for promtool and amtool, every alert
 * tested firing and quiet (prometheus/tests), following the monitoring-mixin conventions (a severity, a summary,
 * a description, a runbook section that exists), and naming only series that exist: the exporter's (from the
 * catalog), the recording rules', Prometheus' own {@code up}, and the Flink reporter's the docs name.
 */
@Timeout(120)
class AlertRulesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Path RECORDING = RepoFiles.resolve("prometheus/rules/pulse-recording.yml");
    static final Path ALERTS = RepoFiles.resolve("prometheus/rules/pulse-alerts.yml");
    private static final Path TESTS = RepoFiles.resolve("prometheus/tests/pulse-alerts.test.yml");
    private static final Path ALERTMANAGER = RepoFiles.resolve("alertmanager/alertmanager.yml");

    @Test
    void promtoolChecksAndTestsTheRules() throws Exception {
        run(PrometheusServer.promtool(), "check", "rules", RECORDING.toString(), ALERTS.toString());
        run(PrometheusServer.promtool(), "test", "rules", TESTS.toString());
    }

    @Test
    void amtoolChecksTheAlertmanagerConfig() throws Exception {
        run(AlertmanagerServer.amtool(), "check-config", ALERTMANAGER.toString());
    }

    @Test
    void everyAlertHasASeverityAnnotationsAndARunbookSection() throws IOException {
        Set<String> anchors = runbookAnchors();
        Map<String, JsonNode> alerts = alerts();
        assertThat(alerts).isNotEmpty();
        alerts.forEach((name, rule) -> {
            String severity = rule.path("labels").path("severity").asText("");
            boolean severityFromSeries = rule.path("expr").asText().contains("by (rule, severity)");
            assertThat(Set.of("critical", "warning", "info").contains(severity) || severityFromSeries)
                    .as("%s has a severity label", name).isTrue();
            assertThat(rule.path("labels").path("layer").asText()).as("%s layer", name).isIn("business", "pipeline");
            for (String annotation : List.of("summary", "description", "runbook_url")) {
                assertThat(rule.path("annotations").path(annotation).asText("")).as("%s %s", name, annotation)
                        .isNotBlank();
            }
            assertThat(rule.path("annotations").path("runbook_url").asText())
                    .isEqualTo("docs/runbook.md#" + name.toLowerCase(Locale.ROOT));
            assertThat(anchors).as("a runbook section titled %s", name).contains(name.toLowerCase(Locale.ROOT));
        });
    }

    @Test
    void everyAlertIsTestedFiringAndQuiet() throws IOException {
        Set<String> fires = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (JsonNode test : YAML.readTree(TESTS.toFile()).path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                (check.path("exp_alerts").isEmpty() ? quiet : fires).add(check.path("alertname").asText());
            }
        }
        assertThat(fires).as("alerts tested firing").isEqualTo(alerts().keySet());
        assertThat(quiet).as("alerts tested quiet").isEqualTo(alerts().keySet());
    }

    @Test
    void theRulesNameOnlySeriesThatExistAndTheirCatalogLabels() throws IOException {
        // the exporter's series, the job's and Flink's metrics of the catalog, up, and the recording rules
        Set<String> known = new HashSet<>(DashboardCatalogTest.knownSeriesNames());
        known.remove("ALERTS");
        known.addAll(recordingNames());
        List<JsonNode> rules = new ArrayList<>();
        for (Path file : List.of(RECORDING, ALERTS)) {
            YAML.readTree(file.toFile()).path("groups").forEach(g -> g.path("rules").forEach(rules::add));
        }
        for (JsonNode rule : rules) {
            String expr = rule.path("expr").asText();
            String name = rule.path("alert").asText(rule.path("record").asText());
            assertThat(known).as("series named by %s: %s", name, expr).containsAll(PromQl.metricNames(expr));
            DashboardCatalogTest.assertLabelsFromTheCatalog(name, expr);
        }
    }

    /** Alerting rules by name. */
    static Map<String, JsonNode> alerts() throws IOException {
        Map<String, JsonNode> alerts = new LinkedHashMap<>();
        YAML.readTree(ALERTS.toFile()).path("groups").forEach(g -> g.path("rules")
                .forEach(r -> alerts.put(r.path("alert").asText(), r)));
        return alerts;
    }

    private static Set<String> recordingNames() throws IOException {
        Set<String> names = new HashSet<>();
        YAML.readTree(RECORDING.toFile()).path("groups").forEach(g -> g.path("rules")
                .forEach(r -> names.add(r.path("record").asText())));
        return names;
    }

    /** GitHub's anchors of the runbook's headings: lower case, spaces as dashes, punctuation dropped. */
    private static Set<String> runbookAnchors() throws IOException {
        return Files.readAllLines(RepoFiles.resolve("docs/runbook.md")).stream()
                .filter(line -> line.startsWith("#"))
                .map(line -> line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'))
                .collect(Collectors.toSet());
    }

    private static void run(Path tool, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(tool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("%s:%n%s", String.join(" ", command), output).isZero();
        } finally {
            p.destroyForcibly();
        }
    }
}
