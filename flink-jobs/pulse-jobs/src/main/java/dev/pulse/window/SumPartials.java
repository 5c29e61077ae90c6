package dev.pulse.window;

import java.util.Arrays;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Adds partial sums up, element by element, into the window's sums (as many as its key has). */
public class SumPartials implements AggregateFunction<PartialSums, long[], long[]> {
    private static final long serialVersionUID = 1L;
    private static final long[] NONE = new long[0];

    @Override
    public long[] createAccumulator() {
        return NONE;
    }

    @Override
    public long[] add(PartialSums partial, long[] sums) {
        long[] added = sums.length >= partial.sums.length ? sums : Arrays.copyOf(sums, partial.sums.length);
        for (int i = 0; i < partial.sums.length; i++) {
            added[i] += partial.sums[i];
        }
        return added;
    }

    @Override
    public long[] getResult(long[] sums) {
        return sums;
    }

    @Override
    public long[] merge(long[] a, long[] b) {
        long[] merged = Arrays.copyOf(a, Math.max(a.length, b.length));
        for (int i = 0; i < b.length; i++) {
            merged[i] += b[i];
        }
        return merged;
    }
}
