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
    /**
     * Alert records of the risk rules, final: each rule judged on the key's events in event-time order once the
     * watermark passes them, so the same events give the same alerts however they arrive; null when no family
     * makes any. Written exactly-once.
     */
    public final DataStream<AlertRecord> alerts;
    /** The same rules judged as each event arrives, for the screen and the pager at once: written at-least-once. */
    public final DataStream<AlertRecord> liveAlerts;

    PulseOutputs(DataStream<MetricRecord> finalValues, DataStream<MetricRecord> runningUpdates,
                 DataStream<DeadLetter> deadLetters, DataStream<AlertRecord> alerts,
                 DataStream<AlertRecord> liveAlerts) {
        this.finalValues = finalValues;
        this.runningUpdates = runningUpdates;
        this.deadLetters = deadLetters;
        this.alerts = alerts;
        this.liveAlerts = liveAlerts;
    }
}
