package dev.pulse.ingestion;

import dev.pulse.catalog.JobMetric;
import dev.pulse.model.DeadLetter;
import dev.pulse.model.DeadLetterReason;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Passes valid events on and sends dead letters to the side output, counting both (Flink metrics). */
public class SplitValidEvents<T> extends ProcessFunction<Parsed<T>, T> {
    private static final long serialVersionUID = 1L;

    private final String stream;
    private transient Counter eventsIn;
    private transient Map<DeadLetterReason, Counter> deadLetters;

    public SplitValidEvents(String stream) {
        this.stream = stream;
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup operator = getRuntimeContext().getMetricGroup();
        eventsIn = JobMetric.EVENTS_IN.register(operator, stream);
        deadLetters = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters.put(reason, JobMetric.DEAD_LETTERS.register(operator, stream, reason.code()));
        }
    }

    @Override
    public void processElement(Parsed<T> parsed, Context ctx, Collector<T> out) {
        eventsIn.inc();
        if (parsed.isValid()) {
            out.collect(parsed.event);
        } else {
            DeadLetter deadLetter = parsed.deadLetter;
            deadLetters.get(deadLetter.reason).inc();
            ctx.output(DeadLetters.TAG, deadLetter);
        }
    }
}
