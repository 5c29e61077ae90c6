package dev.pulse.window;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * An operator that adds its input up in memory and sends what it has on every watermark (before the watermark,
 * so no window downstream closes without it), every {@link #FLUSH_INTERVAL_MS} ms (so running values stay fresh
 * while the watermark stands still), before each checkpoint barrier (so nothing buffered is missing from a
 * checkpoint: the operator keeps no state) and at the end of input.
 */
public abstract class BufferingOperator<IN, OUT> extends AbstractStreamOperator<OUT>
        implements OneInputStreamOperator<IN, OUT>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    static final long FLUSH_INTERVAL_MS = 200;

    @Override
    public void open() throws Exception {
        super.open();
        scheduleFlush();
    }

    private void scheduleFlush() {
        getProcessingTimeService().registerTimer(
                getProcessingTimeService().getCurrentProcessingTime() + FLUSH_INTERVAL_MS, time -> {
                    flush();
                    scheduleFlush();
                });
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    @Override
    public void endInput() {
        flush();
    }

    /** Sends everything buffered, each record with its window's start as timestamp, and forgets it. */
    protected abstract void flush();
}
