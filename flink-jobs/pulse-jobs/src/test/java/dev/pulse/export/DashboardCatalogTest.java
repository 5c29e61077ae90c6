package dev.pulse.export;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.catalog.EngineMetric;
import dev.pulse.catalog.FlinkMetric;
import dev.pulse.catalog.JobMetric;
import dev.pulse.catalog.MetricDefinition;
import dev.pulse.model.DeadLetterReason;
import dev.pulse.model.Stream;
import dev.pulse.testing.Exposition;
import dev.pulse.testing.RepoFiles;
import dev.pulse.time.Period;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard and the Prometheus configs name only what the exporter serves, and the exporter serves only
 * names from the catalog: renaming a metric anywhere but in the catalog fails here, without a Prometheus server.
 */
@Timeout(30)
class DashboardCatalogTest {
    /** A template variable's query: label_values(metric, label). */
    /** The labels of {@code by (...)}, {@code without (...)}, {@code on (...)} and {@code group_left (...)}. */
    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([a-z_, ]*)\\)");
    /** The label of a selector's matcher. */
    private static final Pattern MATCHER = Pattern.compile("([a-z_]+)\\s*(?:=~|!=|!~|=)\\s*\"");
    static final Pattern LABEL_VALUES =
            Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)");

    @Test
    void everyMetricInTheDashboardsIsNamedByTheCatalog() throws IOException {
        Set<String> served = servedSampleNames();
        assertThat(served).allSatisfy(name -> assertThat(isCatalogName(name))
                .as("%s is served but not named by the catalog", name).isTrue());
        Set<String> known = knownSeriesNames();

        Set<String> used = new TreeSet<>();
        dashboardExpressions().forEach((panel, expr) -> {
            Set<String> names = PromQl.metricNames(expr);
            assertThat(names).as("metric names in %s: %s", panel, expr).isNotEmpty();
            assertThat(known).as("%s: %s", panel, expr).containsAll(names);
            used.addAll(names);
        });
        // a number computed but on no screen is a failure: every catalog metric is on some panel
        for (MetricDefinition definition : MetricDefinition.values()) {
            assertThat(used).as("%s is on no dashboard", definition)
                    .containsAnyOf(definition.finalName(), definition.runningName());
        }
        assertThat(used).contains(FlinkMetric.PENDING_RECORDS.prometheusName(),
                JobMetric.EVENTS_IN.prometheusName(), "ALERTS", EngineMetric.GMV_TARGET.prometheusName());
    }

    @Test
    void everyLabelAPanelGroupsOrFiltersByIsOneTheCatalogGivesItsMetric() throws IOException {
        dashboardExpressions().forEach(DashboardCatalogTest::assertLabelsFromTheCatalog);
    }

    /**
     * The labels an expression groups or filters by, where it reads only catalog or engine series, are theirs
     * (or a histogram's {@code le}); Flink's, Prometheus's and recording rules' series have labels of their own.
     */
    static void assertLabelsFromTheCatalog(String where, String expr) {
        List<String> allowed = new ArrayList<>(List.of("le"));
        for (String name : PromQl.metricNames(expr)) {
            List<String> labels = catalogLabels(name).isEmpty() ? engineLabels(name) : catalogLabels(name);
            if (labels.isEmpty() && !isCatalogName(name)) {
                return;
            }
            allowed.addAll(labels);
        }
        Set<String> used = new TreeSet<>();
        Matcher grouping = GROUPING.matcher(expr);
        while (grouping.find()) {
            for (String label : grouping.group(1).split(",")) {
                if (!label.isBlank()) {
                    used.add(label.trim());
                }
            }
        }
        Matcher matcher = MATCHER.matcher(expr);
        while (matcher.find()) {
            used.add(matcher.group(1));
        }
        assertThat(allowed).as("labels of %s: %s", where, expr).containsAll(used);
    }

    @Test
    void theAlertsPanelsNameAlertsTheRulesDefine() throws IOException {
        String rules = Files.readString(RepoFiles.resolve("prometheus/rules/pulse-alerts.yml"));
        Matcher alertName = Pattern.compile("alertname=\"([A-Za-z]+)\"").matcher(String.join("\n",
                dashboardExpressions().values()));
        List<String> named = new ArrayList<>();
        while (alertName.find()) {
            named.add(alertName.group(1));
        }
        assertThat(named).isNotEmpty().allSatisfy(name -> assertThat(rules).contains("- alert: " + name + "\n"));
    }

    /**
     * What a dashboard may name: the exporter's series, the job's and Flink's metrics from the catalog, and what
     * Prometheus itself makes (ALERTS of the rules, up of the scrapes).
     */
    static Set<String> knownSeriesNames() {
        Set<String> known = new TreeSet<>(servedSampleNames());
        known.add(EngineMetric.GMV_TARGET.prometheusName()); // served only with --gmv-target
        for (FlinkMetric metric : FlinkMetric.values()) {
            known.add(metric.prometheusName());
        }
        for (JobMetric metric : JobMetric.values()) {
            known.add(metric.prometheusName());
        }
        known.addAll(List.of("ALERTS", "up"));
        return known;
    }

    @Test
    void everyTemplateVariableListsALabelTheCatalogGivesTheMetricItReads() throws IOException {
        Set<String> served = servedSampleNames();
        List<String> variables = new ArrayList<>();
        for (JsonNode dashboard : RepoFiles.dashboards()) {
            for (JsonNode variable : queryVariables(dashboard)) {
                String name = variable.path("name").asText();
                variables.add(dashboard.path("uid").asText() + "/" + name);
                String query = variable.path("query").path("query").asText();
                Matcher m = LABEL_VALUES.matcher(query);
                assertThat(m.matches()).as("%s: %s is label_values(metric, label)", name, query).isTrue();
                String metric = m.group(1);
                String label = m.group(2);
                assertThat(served).as("%s: %s", name, query).contains(metric);
                assertThat(catalogLabels(metric)).as("labels of %s", metric).contains(label);
                assertThat(variable.path("definition").asText()).isEqualTo(query);
                assertThat(variable.path("query").path("metric").asText()).isEqualTo(metric);
                assertThat(variable.path("query").path("label").asText()).isEqualTo(label);
                assertThat(variable.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
                // a label value seen only after the dashboard loaded (a new campaign, the folded "other") is in
                // All as well: All is the regex matching every value, not the list Grafana fetched
                assertThat(variable.path("multi").asBoolean()).as(name).isTrue();
                assertThat(variable.path("includeAll").asBoolean()).as(name).isTrue();
                assertThat(variable.path("allValue").asText()).as(name).isEqualTo(".*");
                assertThat(variable.path("refresh").asInt()).as("%s: refreshed with the time range", name)
                        .isEqualTo(2);
            }
        }
        assertThat(variables).contains("pulse-ads/campaign", "pulse-war-room/channel", "pulse-overview/platform",
                "pulse-money/channel");
    }

    @Test
    void thePromQlReaderFindsMetricNamesAndNothingElse() {
        assertThat(PromQl.metricNames("histogram_quantile(0.95, sum by (le, metric) "
                + "(rate(pulse_result_delay_seconds_bucket{metric=~\"gmv|orders_paid\"}[5m])))"))
                .containsExactly("pulse_result_delay_seconds_bucket");
        assertThat(PromQl.metricNames("time() - max by (metric) (pulse_last_final_window_end_seconds) > 1e3"))
                .containsExactly("pulse_last_final_window_end_seconds");
        assertThat(PromQl.metricNames("sum(a_today offset 1d) - sum(b offset 1h30m)")).containsExactly("a_today", "b");
        assertThat(PromQl.metricNames("a_total / on (job) group_left (channel) b_info or vector(0)"))
                .containsExactly("a_total", "b_info");
    }

    @Test
    void thePrometheusConfigsScrapeTheExporterAndFlinkAndNameNoMetricOutsideTheCatalog() throws IOException {
        Set<String> served = servedSampleNames();
        String local = Files.readString(RepoFiles.resolve("prometheus/prometheus.yml"));
        String compose = Files.readString(RepoFiles.resolve("prometheus/prometheus-compose.yml"));
        for (String config : List.of(local, compose)) {
            assertThat(catalogLookingNames(config)).isSubsetOf(served);
            assertThat(config).contains("scrape_interval: 5s", "job_name: pulse-exporter", "job_name: flink");
        }
        assertThat(local).contains("'127.0.0.1:9400'", "'127.0.0.1:9249'");
        assertThat(compose).contains("'exporter:9400'", "'jobmanager:9249'", "'taskmanager:9249'");
    }

    @Test
    void everyPanelReadsTheDatasourceVariableAndUsesOnlyTheRateIntervalAndItsDashboardsVariables() throws IOException {
        List<String> uids = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        for (JsonNode dashboard : RepoFiles.dashboards()) {
            uids.add(dashboard.path("uid").asText());
            dashboard.path("panels").forEach(panel -> titles.add(panel.path("title").asText()));
            checkPanels(dashboard);
        }
        assertThat(uids).containsExactlyInAnyOrder("pulse-war-room", "pulse-overview", "pulse-users", "pulse-funnel",
                "pulse-money", "pulse-ads", "pulse-risk", "pulse-pipeline");
        assertThat(titles).as("panel titles name the expectations of the end-to-end test").doesNotHaveDuplicates();
    }

    private static void checkPanels(JsonNode dashboard) {
        assertThat(dashboard.path("schemaVersion").asInt()).isEqualTo(39);
        JsonNode source = dashboard.path("templating").path("list").get(0);
        assertThat(source.path("name").asText()).isEqualTo("datasource");
        assertThat(source.path("type").asText()).isEqualTo("datasource");
        assertThat(source.path("query").asText()).isEqualTo("prometheus");

        // a multi-value variable is a regex alternation, so it stands only in a regex matcher of its label
        Map<String, String> variableLabels = new LinkedHashMap<>();
        for (JsonNode variable : queryVariables(dashboard)) {
            Matcher m = LABEL_VALUES.matcher(variable.path("query").path("query").asText());
            variableLabels.put(variable.path("name").asText(), m.matches() ? m.group(2) : "");
        }
        Set<String> usedVariables = new TreeSet<>();
        List<Integer> ids = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            ids.add(panel.path("id").asInt());
            assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            assertThat(panel.path("targets")).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
                String expr = target.path("expr").asText().replace("$__rate_interval", "");
                for (Map.Entry<String, String> variable : variableLabels.entrySet()) {
                    String matcher = variable.getValue() + "=~\"$" + variable.getKey() + "\"";
                    if (expr.contains("$" + variable.getKey())) {
                        usedVariables.add(variable.getKey());
                    }
                    assertThat(expr.replace(matcher, "")).as("%s uses $%s only as %s", panel.path("title"),
                            variable.getKey(), matcher).doesNotContain("$" + variable.getKey());
                    expr = expr.replace(matcher, "");
                }
                assertThat(expr).as("%s", panel.path("title")).doesNotContain("$");
            }
        }
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(usedVariables).as("variables of %s used by a panel", dashboard.path("uid"))
                .containsExactlyInAnyOrderElementsOf(variableLabels.keySet());
    }

    /** The dashboard's template variables after the data source: label_values queries. */
    static List<JsonNode> queryVariables(JsonNode dashboard) {
        List<JsonNode> variables = new ArrayList<>();
        JsonNode list = dashboard.path("templating").path("list");
        for (int i = 1; i < list.size(); i++) {
            assertThat(list.get(i).path("type").asText()).as("%s", list.get(i).path("name")).isEqualTo("query");
            variables.add(list.get(i));
        }
        return variables;
    }

    /** Per query variable of any dashboard: what Grafana puts in for All (the variables' names are unique). */
    static Map<String, String> allValues() throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (JsonNode dashboard : RepoFiles.dashboards()) {
            for (JsonNode variable : queryVariables(dashboard)) {
                String previous = values.put(variable.path("name").asText(), variable.path("allValue").asText());
                assertThat(previous).as("variable %s of two meanings", variable.path("name"))
                        .isIn(null, variable.path("allValue").asText());
            }
        }
        return values;
    }

    /** The labels of an engine metric served under this name (counters and histograms with their suffixes). */
    private static List<String> engineLabels(String sampleName) {
        for (EngineMetric metric : EngineMetric.values()) {
            if (sampleName.startsWith(metric.prometheusName())) {
                return metric.labels();
            }
        }
        return List.of();
    }

    /** The catalog's labels of the metric served under this name. */
    private static List<String> catalogLabels(String sampleName) {
        for (MetricDefinition definition : MetricDefinition.values()) {
            if (sampleName.equals(definition.finalName()) || sampleName.equals(definition.runningName())) {
                return definition.labels();
            }
        }
        return List.of();
    }

    /** Panel title and refId to expression, for every target of every panel of every dashboard. */
    static Map<String, String> dashboardExpressions() throws IOException {
        Map<String, String> exprs = new LinkedHashMap<>();
        for (JsonNode dashboard : RepoFiles.dashboards()) {
            for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    exprs.put(panel.path("title").asText() + " / " + target.path("refId").asText(),
                            target.path("expr").asText());
                }
            }
        }
        return exprs;
    }

    /** Sample names an exporter serves once every catalog metric has a final and a running value. */
    /** Every sample name the exporter serves, each catalog entry filled once. */
    static Set<String> servedSampleNames() {
        PrometheusRegistry registry = new PrometheusRegistry();
        List<String> topics = List.of("m", "l", "d");
        Clock clock = Clock.systemUTC();
        LatestValues values = new LatestValues(ExporterSettings.DEFAULT_MAX_SERIES);
        registry.register(new LatestValuesCollector(values, clock, Duration.ofMinutes(5)));
        EngineMetrics engine = new EngineMetrics(registry, topics);
        engine.servePromotions(registry, PromotionSchedule.NONE, clock);
        RecordIngest ingest = new RecordIngest(new ExporterSettings("127.0.0.1:1", "m", "l", "d", "g", "127.0.0.1",
                0, Duration.ofMinutes(5), ExporterSettings.DEFAULT_MAX_SERIES, Map.of()), values, engine, clock);
        Instant window = Instant.now().minusSeconds(120);
        for (MetricDefinition definition : MetricDefinition.values()) {
            Map<String, String> labels = definition.labels().stream()
                    .collect(Collectors.toMap(name -> name, name -> "x"));
            long now = clock.millis();
            ingest.accept("m", bytes(TestRecords.metric(definition, labels, window, 1, true)), now, false);
            ingest.accept("l", bytes(TestRecords.metric(definition, labels, window.plus(definition.period() == Period.MINUTE
                    ? Duration.ofMinutes(1) : Duration.ofDays(1)), 1, false)), now, false);
        }
        ingest.accept("d", bytes(TestRecords.deadLetter(Stream.CLICK, DeadLetterReason.TOO_LATE)), clock.millis(),
                false);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return Exposition.samples(out.toString(UTF_8)).keySet().stream()
                .map(series -> series.contains("{") ? series.substring(0, series.indexOf('{')) : series)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean isCatalogName(String sampleName) {
        for (MetricDefinition definition : MetricDefinition.values()) {
            if (sampleName.equals(definition.finalName()) || sampleName.equals(definition.runningName())) {
                return true;
            }
        }
        for (EngineMetric metric : EngineMetric.values()) {
            for (String suffix : List.of("", "_total", "_bucket", "_count", "_sum")) {
                if (sampleName.equals(metric.prometheusName() + suffix)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Set<String> catalogLookingNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\b(?:ecom|pulse)_[a-z0-9_]+").matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    private static byte[] bytes(String json) {
        return json.getBytes(UTF_8);
    }
}
