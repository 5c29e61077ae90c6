package dev.pulse.window;

import dev.pulse.time.BusinessTime;
import dev.pulse.time.Period;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Adds up records per key and window inside the subtask that admitted them, before the shuffle to the few keys
 * of a metric: thousands of events a second become a few partial sums, sent as {@link BufferingOperator} says. A
 * record's window is that of its event time (its timestamp, unless it says otherwise: a visitor's tally may count
 * for a later day).
 */
public final class PreAggregate<T> extends BufferingOperator<T, PartialSums> {
    private static final long serialVersionUID = 1L;

    private final Contribution<T> contribution;
    private final TimeOf<T> timeOf;
    private final Period period;
    private final BusinessTime businessTime;
    private transient Map<Long, Map<String, long[]>> buffered;
    private transient Contribution.Sink sink;
    /** Windows met lately, so a record's window is found without the time zone's rules. */
    private transient WindowBounds bounds;
    private transient long currentWindow;
    /** The sums of {@link #currentWindow}, looked up once for the many records in a row that fall in it. */
    private transient Map<String, long[]> currentSums;

    /** Where a record counts: the event time it stands for, by default its record's timestamp. */
    @FunctionalInterface
    public interface TimeOf<T> extends Serializable {
        long of(T value, long recordTimestamp);
    }

    /** @param period the window the sums are kept per (a longer period downstream adds these up) */
    public PreAggregate(Contribution<T> contribution, Period period, BusinessTime businessTime) {
        this(contribution, (value, timestamp) -> timestamp, period, businessTime);
    }

    public PreAggregate(Contribution<T> contribution, TimeOf<T> timeOf, Period period, BusinessTime businessTime) {
        this.contribution = contribution;
        this.timeOf = timeOf;
        this.period = period;
        this.businessTime = businessTime;
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffered = new HashMap<>();
        bounds = new WindowBounds(period, businessTime);
        sink = new Contribution.Sink() {
            @Override
            public void add(String key, long... increments) {
                long[] sums = sumsOf(key, increments.length);
                for (int i = 0; i < increments.length; i++) {
                    sums[i] += increments[i];
                }
            }

            @Override
            public void addAt(String key, int slot, long increment) {
                sumsOf(key, slot + 1)[slot] += increment;
            }

            @Override
            public void addAt(String key, int slot, long increment, int windows) {
                long window = currentWindow;
                for (int i = 0; i < windows; i++) {
                    sumsOf(key, slot + 1)[slot] += increment;
                    moveTo(bounds.endOf(currentWindow));
                }
                moveTo(window);
            }
        };
    }

    /** The key's sums in the current window, at least this many. */
    private long[] sumsOf(String key, int width) {
        if (currentSums == null) {
            currentSums = buffered.computeIfAbsent(currentWindow, w -> new HashMap<>());
        }
        Map<String, long[]> byKey = currentSums;
        long[] sums = byKey.get(key);
        if (sums == null || sums.length < width) {
            sums = sums == null ? new long[width] : Arrays.copyOf(sums, width);
            byKey.put(key, sums);
        }
        return sums;
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        moveTo(timeOf.of(element.getValue(), element.getTimestamp()));
        contribution.addTo(element.getValue(), sink);
    }

    private void moveTo(long time) {
        long window = bounds.startOf(time);
        if (window != currentWindow) {
            currentWindow = window;
            currentSums = null;
        }
    }

    @Override
    protected void flush() {
        if (buffered.isEmpty()) {
            return;
        }
        StreamRecord<PartialSums> record = new StreamRecord<>(null);
        buffered.forEach((window, byKey) -> byKey.forEach((key, sums) ->
                output.collect(record.replace(new PartialSums(key, window, sums), window))));
        buffered.clear();
        currentSums = null;
    }
}
