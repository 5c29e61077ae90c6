package dev.pulse.bench;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The {@code keyed} variant's one operator: per visitor a count of its events, read and written once per event (the
 * least state work an exact per-visitor metric does), and the visitor's first event passed on, so the run's output
 * is the number of distinct visitors and can be checked. No cleanup: the bench's input is bounded.
 */
final class FirstOfVisitor<T> extends KeyedProcessFunction<String, T, T> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<Long> events;

    @Override
    public void open(OpenContext openContext) {
        events = getRuntimeContext().getState(new ValueStateDescriptor<>("events", Types.LONG));
    }

    @Override
    public void processElement(T event, Context ctx, Collector<T> out) throws Exception {
        Long seen = events.value();
        events.update(seen == null ? 1L : seen + 1);
        if (seen == null) {
            out.collect(event);
        }
    }
}
