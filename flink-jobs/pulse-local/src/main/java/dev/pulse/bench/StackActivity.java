package dev.pulse.bench;

import java.util.List;

/**
 * What a sampled thread was doing, told from its stack: the first activity, in this order, that one of its frames
 * belongs to. The order makes the bigger activity win: a state read inside a timer's callback is part of firing
 * the timer, a record sent from a timer too.
 */
enum StackActivity {
    CHECKPOINT("checkpoint, synchronous part",
            "org.apache.flink.streaming.runtime.tasks.SubtaskCheckpointCoordinatorImpl.checkpointState"),
    TIMERS_FIRING("timers firing, with all their callbacks do",
            "org.apache.flink.streaming.api.operators.InternalTimerServiceImpl.tryAdvanceWatermark",
            "org.apache.flink.streaming.api.operators.InternalTimerServiceImpl.advanceWatermark",
            "org.apache.flink.streaming.api.operators.InternalTimerServiceImpl.onProcessingTime"),
    TIMERS_REGISTERED("timers registered or deleted",
            "org.apache.flink.streaming.api.operators.InternalTimerServiceImpl.register",
            "org.apache.flink.streaming.api.operators.InternalTimerServiceImpl.delete"),
    KEYED_STATE("keyed state: reads, writes, the current key",
            "org.apache.flink.state.rocksdb.",
            "org.apache.flink.runtime.state.heap."),
    PARSING("parsing events",
            "dev.pulse.ingestion.EventParser."),
    RECORDS_OUT("records out: serialization, network buffers",
            "org.apache.flink.streaming.runtime.io.RecordWriterOutput.",
            "org.apache.flink.runtime.io.network.api.writer."),
    RECORDS_IN("records in: network buffers, deserialization",
            "org.apache.flink.runtime.io.network.",
            "org.apache.flink.streaming.runtime.streamrecord.StreamElementSerializer.deserialize"),
    KAFKA("Kafka: the clients' own work",
            "org.apache.kafka."),
    OTHER("everything else: the operators' own work, the sources' record path, the mailbox");

    final String label;
    private final List<String> framePrefixes;

    StackActivity(String label, String... framePrefixes) {
        this.label = label;
        this.framePrefixes = List.of(framePrefixes);
    }

    /** @param frames each frame as {@code type.method}, innermost first */
    static StackActivity of(List<String> frames) {
        for (StackActivity activity : values()) {
            for (String frame : frames) {
                for (String prefix : activity.framePrefixes) {
                    if (frame.startsWith(prefix)) {
                        return activity;
                    }
                }
            }
        }
        return OTHER;
    }

    /** A task thread's operator chain from JFR's thread name: "admit-ad -> (ads-partial, ...) (1/2)#0" -> "admit-ad". */
    static String chainOf(String threadName) {
        String name = threadName.replaceFirst(" \\(\\d+/\\d+\\)(#\\d+)?$", "");
        int arrow = name.indexOf(" -> ");
        return arrow > 0 ? name.substring(0, arrow) : name;
    }
}
