package dev.pulse.catalog;

import java.util.List;

/**
 * The catalog of metric records the jobs emit: one entry per record name, with the Prometheus names, help
 * text and labels the exporter serves. Dashboards and alert rules are tested against this list, so a metric
 * is renamed here or nowhere.
 */
public enum MetricDefinition {
    PAGE_VIEWS("page_views", "ecom_page_views", "Page and product views (PV)", "views",
            List.of("channel", "platform")),
    ORDERS_CREATED("orders_created", "ecom_orders_created", "Orders created", "orders", List.of("channel")),
    ORDERS_PAID("orders_paid", "ecom_orders_paid", "Orders paid", "orders", List.of("channel")),
    GMV("gmv", "ecom_gmv", "Gross merchandise value: sum of paid amounts, in the currency label", "currency units",
            List.of("channel", "currency"));

    private final String recordName;
    private final String prometheusBase;
    private final String help;
    private final String unit;
    private final List<String> labels;

    MetricDefinition(String recordName, String prometheusBase, String help, String unit, List<String> labels) {
        this.recordName = recordName;
        this.prometheusBase = prometheusBase;
        this.help = help;
        this.unit = unit;
        this.labels = labels;
    }

    /** The name field of the metric records on the results topics. */
    public String recordName() {
        return recordName;
    }

    /** Gauge for the value of the latest closed event-time minute (final values). */
    public String lastMinuteName() {
        return prometheusBase + "_last_minute";
    }

    /** Gauge for the running value of the minute still open (running updates). */
    public String currentMinuteName() {
        return prometheusBase + "_current_minute";
    }

    public String prometheusName(boolean isFinal) {
        return isFinal ? lastMinuteName() : currentMinuteName();
    }

    public String help(boolean isFinal) {
        return help + (isFinal ? " in the latest closed event-time minute" : " so far in the event-time minute still open")
                + " (" + unit + ")";
    }

    /** The label names, in order; every one a small bounded set. */
    public List<String> labels() {
        return labels;
    }

    public static MetricDefinition ofRecordName(String name) {
        for (MetricDefinition d : values()) {
            if (d.recordName.equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown metric record name '" + name + "'");
    }
}
