package dev.pulse.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pulse.catalog.MetricDefinition;
import dev.pulse.json.Json;
import dev.pulse.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The files in dashboards/ are what {@link PulseDashboards} defines, and a panel takes its looks from the catalog. */
@Timeout(30)
class PulseDashboardsTest {

    @Test
    void theDashboardFilesAreTheDefinitionsAsWrittenByPulseDashboards() throws IOException {
        Path folder = RepoFiles.resolve("dashboards");
        Set<String> files;
        try (var list = Files.list(folder)) {
            files = list.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(files).as("every file in dashboards/ is defined (regenerate: ./pulse dashboards)")
                .containsExactlyInAnyOrderElementsOf(PulseDashboards.all().stream().map(Dashboard::fileName).toList());
        for (Dashboard dashboard : PulseDashboards.all()) {
            assertThat(Files.readString(folder.resolve(dashboard.fileName())))
                    .as("%s is out of date: run ./pulse dashboards", dashboard.fileName())
                    .isEqualTo(DashboardsCommand.render(dashboard));
        }
    }

    @Test
    void aCatalogTargetTakesItsUnitDecimalsAndColoursFromTheCatalog() {
        JsonNode panel = new Dashboard("d", "D", "", "now-1h")
                .panel(Panel.stat("payment success", "")
                        .target(Query.running(MetricDefinition.PAYMENT_SUCCESS_DAY), "today")
                        .target(Query.running(MetricDefinition.ORDERS_PAID_DAY), "paid"))
                .toJson().path("panels").get(0);
        JsonNode defaults = panel.path("fieldConfig").path("defaults");
        assertThat(defaults.path("unit").asText()).isEqualTo("percentunit");
        assertThat(defaults.path("color").path("mode").asText()).isEqualTo("thresholds");
        assertThat(defaults.path("thresholds").path("steps").toString())
                .isEqualTo("[{\"color\":\"red\",\"value\":null},{\"color\":\"yellow\",\"value\":0.9},"
                        + "{\"color\":\"green\",\"value\":0.95}]");
        // the second target is a count without a range: its own unit, decimals and colours
        JsonNode override = panel.path("fieldConfig").path("overrides").get(0);
        assertThat(override.path("matcher").path("options").asText()).isEqualTo("B");
        assertThat(override.path("properties").toString()).contains("{\"id\":\"unit\",\"value\":\"short\"}",
                "{\"id\":\"decimals\",\"value\":0}", "\"palette-classic\"");
        assertThat(panel.path("targets").get(1).path("expr").asText()).isEqualTo("sum(ecom_orders_paid_today)");
    }

    @Test
    void aQueryAppliesTheDashboardsVariablesToTheLabelsItsMetricHas() {
        List<Variable> variables = List.of(new Variable("channel", "Channel", MetricDefinition.GMV_DAY),
                new Variable("campaign", "Campaign", MetricDefinition.AD_SPEND_DAY));
        assertThat(Query.running(MetricDefinition.GMV_DAY, "currency").offset("7d").render(variables))
                .isEqualTo("sum by (currency) (ecom_gmv_today{channel=~\"$channel\"} offset 7d)");
        assertThat(Query.running(MetricDefinition.GMV_DAY, "currency").unfiltered().render(variables))
                .isEqualTo("sum by (currency) (ecom_gmv_today)");
        assertThat(Query.last(MetricDefinition.AD_SPEND_DAY, "campaign").without("campaign", "other").top(3)
                .render(variables)).isEqualTo("sort_desc(topk(3, sum by (campaign) "
                + "(ecom_ad_spend_last_day{campaign=~\"$campaign\", campaign!=\"other\"})))");
        assertThatThrownBy(() -> Query.running(MetricDefinition.DAU_TOTAL, "channel"))
                .hasMessageContaining("ecom_dau_total_last_day has no label channel");
    }

    @Test
    void panelsFillRowsOfTwentyFourColumnsInOrder() throws IOException {
        for (Dashboard dashboard : PulseDashboards.all()) {
            JsonNode panels = Json.MAPPER.readTree(DashboardsCommand.render(dashboard)).path("panels");
            int rowEnd = 0;
            for (JsonNode panel : panels) {
                JsonNode grid = panel.path("gridPos");
                assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as("%s", panel.path("title"))
                        .isLessThanOrEqualTo(24);
                assertThat(grid.path("y").asInt()).isGreaterThanOrEqualTo(rowEnd - 8 * 2);
                rowEnd = Math.max(rowEnd, grid.path("y").asInt() + grid.path("h").asInt());
            }
        }
    }
}
