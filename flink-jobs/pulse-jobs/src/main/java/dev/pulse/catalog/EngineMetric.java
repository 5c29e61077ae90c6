package dev.pulse.catalog;

import java.util.List;

/** The engine's own numbers served by the exporter (prefix pulse_), for operators who must trust the figures. */
public enum EngineMetric {
    DEAD_LETTERS("pulse_dead_letters", "Input events that could not be counted, by stream and reason (dead-lettered)",
            List.of("stream", "reason")),
    RECORDS_CONSUMED("pulse_exporter_records", "Records the exporter read from the results and dead-letter topics",
            List.of("topic")),
    INVALID_RECORDS("pulse_exporter_invalid_records", "Records on the results topics the exporter could not read",
            List.of("topic")),
    RESULT_DELAY("pulse_result_delay_seconds",
            "Freshness: wall-clock time from a window's end to its final value reaching the exporter",
            List.of("metric")),
    LAST_WINDOW_END("pulse_last_final_window_end_seconds",
            "End of the latest window with a final value, as Unix seconds (stale when it stops moving)",
            List.of("metric")),
    SERIES_DROPPED("pulse_exporter_series_dropped",
            "Values of series beyond the most the exporter keeps (--max-series), dropped", List.of()),
    PROMOTION_ACTIVE("pulse_promotion_active",
            "1 while a promotion announced to the exporter (--promotion) is on, else 0: the anomaly alerts expect "
                    + "its spike", List.of()),
    GMV_TARGET("pulse_gmv_target",
            "The business day's GMV target given to the exporter (--gmv-target), in the shop's currency; served only "
                    + "when set", List.of());

    private final String prometheusName;
    private final String help;
    private final List<String> labels;

    EngineMetric(String prometheusName, String help, List<String> labels) {
        this.prometheusName = prometheusName;
        this.help = help;
        this.labels = labels;
    }

    public String prometheusName() {
        return prometheusName;
    }

    public String help() {
        return help;
    }

    public List<String> labels() {
        return labels;
    }
}
