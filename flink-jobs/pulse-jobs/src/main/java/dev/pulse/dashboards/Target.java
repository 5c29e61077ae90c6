package dev.pulse.dashboards;

import dev.pulse.catalog.MetricDefinition;
import dev.pulse.catalog.Thresholds;
import java.util.List;
import java.util.Optional;

/**
 * One query of a panel, with the unit, decimals and colours its values are shown in. A target of a catalog
 * metric ({@link #of(Query, String)}) takes them from the catalog entry; any other expression names them.
 */
public final class Target {
    private final Query query;
    private final String expr;
    private final String legend;
    private String unit;
    private int decimals;
    private Thresholds thresholds;
    private boolean rightAxis;
    private boolean table;

    private Target(Query query, String expr, String legend, String unit, int decimals, Thresholds thresholds) {
        this.query = query;
        this.expr = expr;
        this.legend = legend;
        this.unit = unit;
        this.decimals = decimals;
        this.thresholds = thresholds;
    }

    /** A sum of a catalog metric: unit, decimals and thresholds from the catalog entry. */
    public static Target of(Query query, String legend) {
        MetricDefinition metric = query.metric();
        return new Target(query, null, legend, unitOf(metric), decimalsOf(metric), metric.thresholds().orElse(null));
    }

    /** Any other expression (engine and Flink metrics, ratios of sums, ALERTS). */
    public static Target expr(String expr, String legend, String unit, int decimals) {
        return new Target(null, expr, legend, unit, decimals, null);
    }

    public Target thresholds(Thresholds newThresholds) {
        this.thresholds = newThresholds;
        return this;
    }

    /** Like the catalog metric's but the unit of a per-second rate of it. */
    public Target unit(String newUnit, int newDecimals) {
        this.unit = newUnit;
        this.decimals = newDecimals;
        return this;
    }

    /** Drawn against a second axis on the right (a series of another size than the others). */
    public Target onRightAxis() {
        this.rightAxis = true;
        return this;
    }

    /** One row per series with its labels as columns (the active alerts). */
    public Target asTable() {
        this.table = true;
        return this;
    }

    String render(List<Variable> variables) {
        return query != null ? query.render(variables) : expr;
    }

    String legend() {
        return legend;
    }

    String unit() {
        return unit;
    }

    int decimals() {
        return decimals;
    }

    Optional<Thresholds> thresholds() {
        return Optional.ofNullable(thresholds);
    }

    boolean rightAxis() {
        return rightAxis;
    }

    boolean table() {
        return table;
    }

    /** Grafana's unit for what a catalog value counts. */
    static String unitOf(MetricDefinition metric) {
        return switch (metric.unit()) {
            // ROAS is a multiple (GMV per unit of spend), not a share
            case "ratio" -> metric.recordName().equals("ad_roas") ? "short" : "percentunit";
            case "seconds" -> "s";
            default -> "short";
        };
    }

    static int decimalsOf(MetricDefinition metric) {
        return switch (metric.unit()) {
            case "ratio" -> metric.recordName().equals("ad_roas") ? 2 : 1;
            case "currency units" -> 2;
            default -> 0;
        };
    }
}
