package dev.pulse.dashboards;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.catalog.Thresholds;
import dev.pulse.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One Grafana panel: its kind, title, description, targets and size. Unit, decimals and colours come from the
 * first target (so from the catalog for a catalog metric); a later target with other ones gets an override, so one
 * panel can show a count next to a share. Every panel reads the dashboard's data source variable.
 */
public final class Panel {
    /** The panel kinds Pulse uses, with Grafana's type name. */
    enum Kind {
        STAT("stat"), TIMESERIES("timeseries"), BARGAUGE("bargauge"), GAUGE("gauge"), TABLE("table");

        final String type;

        Kind(String type) {
            this.type = type;
        }
    }

    private final Kind kind;
    private final String title;
    private final String description;
    private final List<Target> targets = new ArrayList<>();
    private int width = 12;
    private int height = 8;
    private Double min;
    private Double max;

    private Panel(Kind kind, String title, String description) {
        this.kind = kind;
        this.title = title;
        this.description = description;
    }

    /** Big numbers: the latest value of each target. */
    public static Panel stat(String title, String description) {
        return new Panel(Kind.STAT, title, description);
    }

    /** Lines over the dashboard's time range. */
    public static Panel timeseries(String title, String description) {
        return new Panel(Kind.TIMESERIES, title, description).min(0);
    }

    /** Horizontal bars, one per series: shares and rankings. */
    public static Panel bars(String title, String description) {
        return new Panel(Kind.BARGAUGE, title, description).min(0);
    }

    /** A dial between min and max. */
    public static Panel gauge(String title, String description) {
        return new Panel(Kind.GAUGE, title, description).min(0);
    }

    /** Rows of series with their labels (the active alerts). */
    public static Panel table(String title, String description) {
        return new Panel(Kind.TABLE, title, description);
    }

    public Panel target(Target target) {
        targets.add(target);
        return this;
    }

    public Panel target(Query query, String legend) {
        return target(Target.of(query, legend));
    }

    /** Width in Grafana's 24 columns and height in its rows (8 by default). */
    public Panel size(int newWidth, int newHeight) {
        if (newWidth < 1 || newWidth > 24 || newHeight < 1) {
            throw new IllegalArgumentException(title + ": size " + newWidth + "x" + newHeight);
        }
        this.width = newWidth;
        this.height = newHeight;
        return this;
    }

    public Panel width(int newWidth) {
        return size(newWidth, height);
    }

    public Panel min(double newMin) {
        this.min = newMin;
        return this;
    }

    public Panel max(double newMax) {
        this.max = newMax;
        return this;
    }

    String title() {
        return title;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    List<Target> targets() {
        return targets;
    }

    ObjectNode toJson(int id, int x, int y, List<Variable> variables) {
        if (targets.isEmpty()) {
            throw new IllegalStateException("panel " + title + " has no target");
        }
        Target first = targets.get(0);
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("type", kind.type).put("title", title).put("description", description);
        node.set("datasource", datasource());
        ArrayNode targetNodes = node.putArray("targets");
        for (int i = 0; i < targets.size(); i++) {
            Target target = targets.get(i);
            ObjectNode t = targetNodes.addObject();
            t.put("refId", refId(i));
            t.set("datasource", datasource());
            t.put("expr", target.render(variables)).put("legendFormat", target.legend());
            boolean range = kind == Kind.TIMESERIES;
            t.put("range", range).put("instant", !range);
            if (target.table()) {
                t.put("format", "table");
            }
        }

        ObjectNode fieldConfig = node.putObject("fieldConfig");
        ObjectNode defaults = fieldConfig.putObject("defaults");
        defaults.put("unit", first.unit()).put("decimals", first.decimals());
        if (min != null) {
            defaults.put("min", min);
        }
        if (max != null) {
            defaults.put("max", max);
        }
        Optional<Thresholds> colours = first.thresholds();
        // with a range, the value's colour says good or bad; without one, each series gets its own colour
        defaults.putObject("color").put("mode", colours.isPresent() && kind != Kind.TIMESERIES
                ? "thresholds" : "palette-classic");
        defaults.set("thresholds", thresholdsJson(colours.orElse(new Thresholds("green", List.of()))));
        if (kind == Kind.TIMESERIES) {
            ObjectNode custom = defaults.putObject("custom");
            custom.put("drawStyle", "line").put("lineWidth", 2).put("fillOpacity", 10).put("showPoints", "never")
                    .put("spanNulls", false);
            custom.putObject("stacking").put("mode", "none").put("group", "A");
            // a range on a line chart: dashed lines at its limits
            custom.putObject("thresholdsStyle").put("mode", colours.isPresent() ? "dashed" : "off");
        }
        fieldConfig.set("overrides", overrides(first));
        node.set("options", kind.equals(Kind.TIMESERIES) ? timeseriesOptions() : valueOptions());
        if (kind == Kind.TABLE) {
            node.set("transformations", Json.MAPPER.createArrayNode().add(Json.MAPPER.createObjectNode()
                    .put("id", "organize").set("options", Json.MAPPER.createObjectNode()
                            .set("excludeByName", Json.MAPPER.createObjectNode().put("Time", true)
                                    .put("Value", true).put("__name__", true).put("alertstate", true)))));
        }
        node.put("id", id);
        node.putObject("gridPos").put("x", x).put("y", y).put("w", width).put("h", height);
        return node;
    }

    private ArrayNode overrides(Target first) {
        ArrayNode overrides = Json.MAPPER.createArrayNode();
        for (int i = 0; i < targets.size(); i++) {
            Target target = targets.get(i);
            ArrayNode properties = Json.MAPPER.createArrayNode();
            if (i > 0 && !target.unit().equals(first.unit())) {
                properties.addObject().put("id", "unit").put("value", target.unit());
            }
            if (i > 0 && target.decimals() != first.decimals()) {
                properties.addObject().put("id", "decimals").put("value", target.decimals());
            }
            if (i > 0 && !target.thresholds().equals(first.thresholds())) {
                properties.addObject().put("id", "thresholds")
                        .set("value", thresholdsJson(target.thresholds().orElse(new Thresholds("green", List.of()))));
                properties.addObject().put("id", "color").set("value", Json.MAPPER.createObjectNode()
                        .put("mode", target.thresholds().isPresent() ? "thresholds" : "palette-classic"));
            }
            if (target.rightAxis()) {
                properties.addObject().put("id", "custom.axisPlacement").put("value", "right");
            }
            if (!properties.isEmpty()) {
                ObjectNode override = overrides.addObject();
                override.putObject("matcher").put("id", "byFrameRefID").put("options", refId(i));
                override.set("properties", properties);
            }
        }
        return overrides;
    }

    private ObjectNode valueOptions() {
        ObjectNode options = Json.MAPPER.createObjectNode();
        options.putObject("reduceOptions").put("fields", "").put("values", false).putArray("calcs").add("lastNotNull");
        switch (kind) {
            case STAT -> options.put("colorMode", "value").put("graphMode", "none").put("justifyMode", "auto")
                    .put("orientation", "auto").put("textMode", "value_and_name").put("wideLayout", true);
            case BARGAUGE -> options.put("orientation", "horizontal").put("displayMode", "gradient")
                    .put("showUnfilled", true).put("valueMode", "color").put("namePlacement", "auto")
                    .put("sizing", "auto");
            case GAUGE -> options.put("orientation", "auto").put("showThresholdLabels", false)
                    .put("showThresholdMarkers", true);
            case TABLE -> options.put("showHeader", true).put("cellHeight", "sm");
            default -> throw new IllegalStateException(kind.toString());
        }
        return options;
    }

    private static ObjectNode timeseriesOptions() {
        ObjectNode options = Json.MAPPER.createObjectNode();
        ObjectNode legend = options.putObject("legend");
        legend.put("displayMode", "table").put("placement", "bottom").put("showLegend", true);
        legend.putArray("calcs").add("lastNotNull").add("max");
        options.putObject("tooltip").put("mode", "multi").put("sort", "desc");
        return options;
    }

    private static ObjectNode thresholdsJson(Thresholds thresholds) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("mode", "absolute");
        ArrayNode steps = node.putArray("steps");
        steps.addObject().put("color", thresholds.base()).putNull("value");
        thresholds.steps().forEach(step -> steps.addObject().put("color", step.color()).put("value", step.from()));
        return node;
    }

    static ObjectNode datasource() {
        return Json.MAPPER.createObjectNode().put("type", "prometheus").put("uid", "${datasource}");
    }

    private static String refId(int index) {
        return String.valueOf((char) ('A' + index));
    }
}
