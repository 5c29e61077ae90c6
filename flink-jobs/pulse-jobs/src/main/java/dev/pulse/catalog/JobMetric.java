package dev.pulse.catalog;

import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The counters the job itself keeps, reported through Flink's metric system (its Prometheus reporter on a
 * cluster, port 9249 in the demo). Flink names a counter after its scope and groups: a counter registered under
 * the key/value groups {@code stream} and {@code reason} is served as
 * {@code flink_taskmanager_job_task_operator_stream_reason_<name>}, with {@code stream} and {@code reason} as
 * labels; {@link #prometheusName()} gives that name, so docs and dashboards use the catalog's.
 */
public enum JobMetric {
    EVENTS_IN("pulse_events_in", "Input records read and parsed, valid or not", List.of("stream")),
    DEAD_LETTERS("pulse_dead_letters", "Input records dead-lettered while parsing, by reason",
            List.of("stream", "reason")),
    DUPLICATES_DROPPED("pulse_duplicates_dropped", "Second copies of an event id dropped", List.of("stream")),
    LATE_EVENTS_ACCEPTED("pulse_late_events_accepted",
            "Events behind the watermark but within the allowed lateness, counted (they correct values)",
            List.of("stream")),
    LATE_EVENTS_DROPPED("pulse_late_events_dropped", "Events too late to count, dead-lettered as too_late",
            List.of("stream")),
    ORDER_REFUNDS_UNMATCHED("pulse_order_refunds_unmatched",
            "Refunds of orders not seen paid within the correction horizon: counted as refunds, no net GMV change",
            List.of("stream")),
    AD_CLICKS_WITHOUT_IMPRESSION("pulse_ad_clicks_without_impression",
            "Ad clicks whose impression the same visitor (user, or device when anonymous) did not show within the "
                    + "impression horizon: still counted as clicks", List.of("stream"));

    /** How Flink's Prometheus reporter prefixes an operator's metrics. */
    static final String OPERATOR_SCOPE = "flink_taskmanager_job_task_operator_";

    private final String counterName;
    private final String help;
    private final List<String> groups;

    JobMetric(String counterName, String help, List<String> groups) {
        this.counterName = counterName;
        this.help = help;
        this.groups = groups;
    }

    public String help() {
        return help;
    }

    /** The key/value groups it is registered under, in order; each becomes a label. */
    public List<String> groups() {
        return groups;
    }

    /** The name Flink's Prometheus reporter serves it under. */
    public String prometheusName() {
        return OPERATOR_SCOPE + String.join("_", groups) + "_" + counterName;
    }

    /** Registers the counter in an operator's metric group, one value per group key in {@link #groups()} order. */
    public Counter register(MetricGroup operator, String... groupValues) {
        if (groupValues.length != groups.size()) {
            throw new IllegalArgumentException(this + " is registered under " + groups + ", got "
                    + List.of(groupValues));
        }
        MetricGroup group = operator;
        for (int i = 0; i < groups.size(); i++) {
            group = group.addGroup(groups.get(i), groupValues[i]);
        }
        return group.counter(counterName);
    }
}
