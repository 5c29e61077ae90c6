package dev.pulse.window;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Unions the sketches of a window into one (kept as compact bytes, so the window's state is one small value),
 * and gives the estimated distinct count, rounded, as the window's one sum.
 */
public class SketchUnion implements AggregateFunction<SketchPartial, byte[], long[]> {
    private static final long serialVersionUID = 1L;
    private static final byte[] EMPTY = new byte[0];

    private final int lgK;

    public SketchUnion(int lgK) {
        this.lgK = lgK;
    }

    @Override
    public byte[] createAccumulator() {
        return EMPTY;
    }

    @Override
    public byte[] add(SketchPartial partial, byte[] accumulator) {
        return union(accumulator, partial.sketch);
    }

    @Override
    public long[] getResult(byte[] accumulator) {
        return new long[] {accumulator.length == 0 ? 0 : Math.round(HllSketch.heapify(accumulator).getEstimate())};
    }

    @Override
    public byte[] merge(byte[] a, byte[] b) {
        return b.length == 0 ? a : union(a, b);
    }

    private byte[] union(byte[] sketch, byte[] other) {
        Union union = new Union(lgK);
        if (sketch.length > 0) {
            union.update(HllSketch.heapify(sketch));
        }
        union.update(HllSketch.heapify(other));
        return union.getResult(TgtHllType.HLL_8).toCompactByteArray();
    }
}
