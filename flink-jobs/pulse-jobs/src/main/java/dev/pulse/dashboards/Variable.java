package dev.pulse.dashboards;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.catalog.MetricDefinition;
import dev.pulse.json.Json;

/**
 * A template variable listing the values of a catalog label, {@code label_values(metric, label)}: multi-value with
 * All as the regex {@code .*}, so a value first seen after the dashboard loaded (a new campaign) is in All too.
 */
public record Variable(String label, String title, MetricDefinition source) {
    public Variable {
        if (!source.labels().contains(label)) {
            throw new IllegalArgumentException(source.runningName() + " has no label " + label);
        }
    }

    /** The variable's name in expressions: the label's. */
    public String name() {
        return label;
    }

    /** How a query filters by it: a regex matcher, since a multi-value variable is an alternation. */
    public String matcher() {
        return label + "=~\"$" + name() + "\"";
    }

    ObjectNode toJson() {
        String query = "label_values(" + source.runningName() + ", " + label + ")";
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("name", name()).put("label", title).put("type", "query");
        node.set("datasource", Panel.datasource());
        node.put("definition", query);
        node.putObject("query").put("qryType", 1).put("label", label).put("metric", source.runningName())
                .put("query", query).put("refId", "PrometheusVariableQueryEditor-VariableQuery");
        ObjectNode current = node.putObject("current");
        current.put("selected", true);
        current.putArray("text").add("All");
        current.putArray("value").add("$__all");
        node.put("hide", 0).put("includeAll", true).put("allValue", ".*").put("multi", true);
        node.putArray("options");
        node.put("refresh", 2).put("regex", "").put("sort", 1).put("skipUrlSync", false);
        return node;
    }
}
