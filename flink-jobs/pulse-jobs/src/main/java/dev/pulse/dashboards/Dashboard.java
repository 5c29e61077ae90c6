package dev.pulse.dashboards;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * One Grafana dashboard: a stable uid, a data source variable, its template variables and its panels, laid out
 * left to right in Grafana's 24 columns in the order they were added.
 */
public final class Dashboard {
    private final String uid;
    private final String title;
    private final String description;
    private final String timeFrom;
    private final List<Variable> variables = new ArrayList<>();
    private final List<Panel> panels = new ArrayList<>();

    public Dashboard(String uid, String title, String description, String timeFrom) {
        this.uid = uid;
        this.title = title;
        this.description = description;
        this.timeFrom = timeFrom;
    }

    public Dashboard variable(Variable variable) {
        variables.add(variable);
        return this;
    }

    public Dashboard panel(Panel panel) {
        panels.add(panel);
        return this;
    }

    public String uid() {
        return uid;
    }

    /** The file it is kept in, under dashboards/. */
    public String fileName() {
        return uid + ".json";
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("uid", uid).put("title", title).put("description", description);
        node.putArray("tags").add("pulse");
        node.put("timezone", "browser").put("editable", true).put("graphTooltip", 1).put("refresh", "5s")
                .put("schemaVersion", 39).put("version", 1);
        node.putObject("time").put("from", timeFrom).put("to", "now");
        node.putObject("timepicker").putArray("refresh_intervals").add("5s").add("10s").add("30s").add("1m")
                .add("5m");
        node.put("fiscalYearStartMonth", 0).put("liveNow", false).put("weekStart", "");
        // every Pulse dashboard links to the others, so the war room is one click from the details
        ObjectNode link = node.putArray("links").addObject();
        link.put("title", "Pulse dashboards").put("type", "dashboards").put("asDropdown", true)
                .put("includeVars", true).put("keepTime", true).putArray("tags").add("pulse");
        ObjectNode annotation = node.putObject("annotations").putArray("list").addObject();
        annotation.put("builtIn", 1);
        annotation.putObject("datasource").put("type", "grafana").put("uid", "-- Grafana --");
        annotation.put("enable", true).put("hide", true).put("iconColor", "rgba(0, 211, 255, 1)")
                .put("name", "Annotations & Alerts").put("type", "dashboard");

        ArrayNode list = node.putObject("templating").putArray("list");
        ObjectNode source = list.addObject();
        source.put("name", "datasource").put("label", "Data source").put("type", "datasource")
                .put("query", "prometheus");
        source.putObject("current");
        source.put("hide", 0).put("includeAll", false).put("multi", false);
        source.putArray("options");
        source.put("refresh", 1).put("regex", "").put("skipUrlSync", false);
        variables.forEach(variable -> list.add(variable.toJson()));

        ArrayNode panelNodes = node.putArray("panels");
        int x = 0;
        int y = 0;
        int rowHeight = 0;
        for (int i = 0; i < panels.size(); i++) {
            Panel panel = panels.get(i);
            if (x + panel.width() > 24) {
                x = 0;
                y += rowHeight;
                rowHeight = 0;
            }
            panelNodes.add(panel.toJson(i + 1, x, y, variables));
            x += panel.width();
            rowHeight = Math.max(rowHeight, panel.height());
        }
        return node;
    }
}
