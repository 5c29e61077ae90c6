package dev.pulse.pipeline;

import dev.pulse.model.AlertRecord;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.MetricRecord;
import org.apache.flink.streaming.api.datastream.DataStream;

/** What the workflow produces; the job decides where each goes (Kafka, a file, a test collector). */
public final class PulseOutputs {
    /** Final values of closed windows, and corrections from late events: written exactly-once. */
    public final DataStream<MetricRecord> finalValues;
    /** Running values of open windows: written at-least-once, for freshness. */
    public final DataStream<MetricRecord> runningUpdates;
    public final DataStream<DeadLetter> deadLetters;
    /** Alert records of the risk rules, each as soon as its rule fires; null when no family makes any. */
    public final DataStream<AlertRecord> alerts;

    PulseOutputs(DataStream<MetricRecord> finalValues, DataStream<MetricRecord> runningUpdates,
                 DataStream<DeadLetter> deadLetters, DataStream<AlertRecord> alerts) {
        this.finalValues = finalValues;
        this.runningUpdates = runningUpdates;
        this.deadLetters = deadLetters;
        this.alerts = alerts;
    }
}
