package dev.pulse.window;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Adds partial sums up, element by element, into the window's sums. */
public class SumPartials implements AggregateFunction<PartialSums, long[], long[]> {
    private static final long serialVersionUID = 1L;

    private final int width;

    public SumPartials(int width) {
        this.width = width;
    }

    @Override
    public long[] createAccumulator() {
        return new long[width];
    }

    @Override
    public long[] add(PartialSums partial, long[] sums) {
        for (int i = 0; i < width; i++) {
            sums[i] += partial.sums[i];
        }
        return sums;
    }

    @Override
    public long[] getResult(long[] sums) {
        return sums;
    }

    @Override
    public long[] merge(long[] a, long[] b) {
        long[] merged = a.clone();
        for (int i = 0; i < width; i++) {
            merged[i] += b[i];
        }
        return merged;
    }
}
