package dev.pulse.window;

import dev.pulse.time.BusinessTime;
import dev.pulse.time.Period;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Adds up records per key and window inside the subtask that admitted them, before the shuffle to the few keys
 * of a metric: thousands of events a second become a few partial sums. A record's window is that of its
 * event-time timestamp. Buffered sums are sent on every
 * watermark (before the watermark, so no window downstream closes without them), every
 * {@link #FLUSH_INTERVAL_MS} ms (so running values stay fresh while the watermark stands still), before each
 * checkpoint barrier (so no buffered sum is missing from a checkpoint: the operator keeps no state) and at the
 * end of input.
 */
public final class PreAggregate<T> extends AbstractStreamOperator<PartialSums>
        implements OneInputStreamOperator<T, PartialSums>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    static final long FLUSH_INTERVAL_MS = 200;

    private final Contribution<T> contribution;
    private final int width;
    private final Period period;
    private final BusinessTime businessTime;
    private transient Map<Long, Map<String, long[]>> buffered;
    private transient Contribution.Sink sink;
    private transient long currentWindow;

    /**
     * @param width how many sums each key has
     * @param period the window the sums are kept per (a longer period downstream adds these up)
     */
    public PreAggregate(Contribution<T> contribution, int width, Period period, BusinessTime businessTime) {
        this.contribution = contribution;
        this.width = width;
        this.period = period;
        this.businessTime = businessTime;
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffered = new HashMap<>();
        sink = (key, increments) -> {
            long[] sums = buffered.computeIfAbsent(currentWindow, w -> new HashMap<>())
                    .computeIfAbsent(key, k -> new long[width]);
            for (int i = 0; i < increments.length; i++) {
                sums[i] += increments[i];
            }
        };
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
    public void processElement(StreamRecord<T> element) {
        currentWindow = period.start(element.getTimestamp(), businessTime.zone());
        contribution.addTo(element.getValue(), sink);
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

    private void flush() {
        if (buffered.isEmpty()) {
            return;
        }
        StreamRecord<PartialSums> record = new StreamRecord<>(null);
        buffered.forEach((window, byKey) -> byKey.forEach((key, sums) ->
                output.collect(record.replace(new PartialSums(key, window, sums), window))));
        buffered.clear();
    }
}
