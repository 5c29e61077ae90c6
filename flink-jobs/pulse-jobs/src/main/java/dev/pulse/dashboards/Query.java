package dev.pulse.dashboards;

import dev.pulse.catalog.MetricDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PromQL of one panel target that sums a catalog metric: {@code sum by (labels) (name{matchers})}, the
 * dashboard's template variables applied to the labels the metric has (unless {@link #unfiltered()}), with an
 * optional offset. Built from the catalog entry, so the name, the labels and the unit cannot disagree with it.
 */
public final class Query {
    private final MetricDefinition metric;
    private final boolean running;
    private final List<String> by;
    private final Map<String, String> equals = new LinkedHashMap<>();
    private final List<String> excluded = new ArrayList<>();
    private boolean filtered = true;
    private String offset;
    private int top;

    private Query(MetricDefinition metric, boolean running, List<String> by) {
        for (String label : by) {
            requireLabel(metric, label);
        }
        this.metric = metric;
        this.running = running;
        this.by = List.copyOf(by);
    }

    /** The running value: the minute still open, or today so far. */
    public static Query running(MetricDefinition metric, String... by) {
        return new Query(metric, true, List.of(by));
    }

    /** The final value: the latest closed minute, or the latest closed business day. */
    public static Query last(MetricDefinition metric, String... by) {
        return new Query(metric, false, List.of(by));
    }

    public Query where(String label, String value) {
        requireLabel(metric, label);
        equals.put(label, value);
        return this;
    }

    /** Leaves one label value out (the folded long tail "other" of the campaigns). */
    public Query without(String label, String value) {
        requireLabel(metric, label);
        excluded.add(label + "!=\"" + value + "\"");
        return this;
    }

    /** The dashboard's variables do not apply: a total over everything. */
    public Query unfiltered() {
        filtered = false;
        return this;
    }

    /** The same series this long ago, e.g. 1d for "yesterday at this time", 7d for "the same time last week". */
    public Query offset(String duration) {
        this.offset = duration;
        return this;
    }

    /** Only the k largest sums, largest first. */
    public Query top(int k) {
        this.top = k;
        return this;
    }

    public MetricDefinition metric() {
        return metric;
    }

    /** The expression, with a regex matcher for each of the dashboard's variables this metric has as a label. */
    public String render(List<Variable> variables) {
        List<String> matchers = new ArrayList<>();
        equals.forEach((label, value) -> matchers.add(label + "=\"" + value + "\""));
        if (filtered) {
            for (Variable variable : variables) {
                if (metric.labels().contains(variable.label())) {
                    matchers.add(variable.matcher());
                }
            }
        }
        matchers.addAll(excluded);
        String selector = metric.prometheusName(!running) + (matchers.isEmpty() ? "" : "{" + String.join(", ", matchers) + "}")
                + (offset == null ? "" : " offset " + offset);
        String sum = by.isEmpty() ? "sum(" + selector + ")" : "sum by (" + String.join(", ", by) + ") (" + selector + ")";
        return top > 0 ? "sort_desc(topk(" + top + ", " + sum + "))" : sum;
    }

    private static void requireLabel(MetricDefinition metric, String label) {
        if (!metric.labels().contains(label)) {
            throw new IllegalArgumentException(metric.finalName() + " has no label " + label + ": " + metric.labels());
        }
    }
}
