package dev.pulse.pipeline;

import dev.pulse.model.MetricRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Gathers the final values of one window (every metric and series of one period's window) and lets them go
 * together once the watermark has passed the window, so that they reach the final-values sink in one subtask,
 * between the same two checkpoint barriers: one Kafka transaction holds the whole set, and a reader with
 * read_committed sees all of it or none of it, also while the job restarts.
 *
 * <p>The windows stamp their records with the window's last millisecond, and fire when the watermark reaches it:
 * when this operator's watermark reaches it too, every window subtask upstream has sent its part. A value for a
 * window the watermark has already passed (a late correction, a value known only after its window closed) goes
 * on at once, as a set of its own, unless values of its window are still waiting: then it waits behind them, so
 * that whatever its timestamp, a correction never reaches a reader before the value it corrects. A reader of this
 * operator's output keeps its order only in this operator's parallelism (the sink, replay's collector).
 */
public final class FinalValueSets extends KeyedProcessFunction<String, MetricRecord, MetricRecord> {
    private static final long serialVersionUID = 1L;

    private transient ListState<MetricRecord> waiting;

    /**
     * The final values of {@code finals}, one window's set at a time, in one subtask: a set is a few hundred
     * records a minute, and a single writer's transactions follow each other in every partition, so none can hide
     * part of another behind it. The final-values sink takes this parallelism.
     */
    static DataStream<MetricRecord> of(DataStream<MetricRecord> finals, String name) {
        return finals.keyBy(FinalValueSets::setKey, TypeInformation.of(String.class))
                .process(new FinalValueSets(), TypeInformation.of(MetricRecord.class))
                .setParallelism(1)
                .uid(name).name(name);
    }

    static String setKey(MetricRecord record) {
        return record.period + "@" + record.windowStart;
    }

    @Override
    public void open(OpenContext openContext) {
        waiting = getRuntimeContext().getListState(new ListStateDescriptor<>("waiting",
                TypeInformation.of(MetricRecord.class)));
    }

    @Override
    public void processElement(MetricRecord record, Context ctx, Collector<MetricRecord> out) throws Exception {
        Long at = ctx.timestamp();
        boolean due = at == null || at <= ctx.timerService().currentWatermark();
        if (due && !waiting.get().iterator().hasNext()) {
            out.collect(record);
            return;
        }
        waiting.add(record);
        if (!due) {
            ctx.timerService().registerEventTimeTimer(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricRecord> out) throws Exception {
        for (MetricRecord record : waiting.get()) {
            out.collect(record);
        }
        waiting.clear();
    }
}
