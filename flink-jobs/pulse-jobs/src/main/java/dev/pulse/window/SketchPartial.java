package dev.pulse.window;

import java.util.Arrays;
import java.util.Objects;

/**
 * The distinct visitors of part of one window's events for one key, as a compact HyperLogLog sketch (Apache
 * DataSketches), made before the shuffle to the key's window.
 */
public class SketchPartial extends WindowPartial {
    public byte[] sketch;

    public SketchPartial() {}

    public SketchPartial(String key, long windowStart, byte[] sketch) {
        super(key, windowStart);
        this.sketch = sketch;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SketchPartial p && windowStart == p.windowStart && Objects.equals(key, p.key)
                && Arrays.equals(sketch, p.sketch);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, windowStart) * 31 + Arrays.hashCode(sketch);
    }

    @Override
    public String toString() {
        return key + "@" + windowStart + "(sketch of " + sketch.length + " bytes)";
    }
}
