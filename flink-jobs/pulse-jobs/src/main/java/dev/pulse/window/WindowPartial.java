package dev.pulse.window;

/**
 * Part of one window's value for one key (bounded labels, e.g. {@code organic|app}), made before the shuffle to
 * the key's window. The fields of a Flink POJO; the record's timestamp is the window's start.
 */
public abstract class WindowPartial {
    public String key;
    public long windowStart;

    protected WindowPartial() {}

    protected WindowPartial(String key, long windowStart) {
        this.key = key;
        this.windowStart = windowStart;
    }

    public String key() {
        return key;
    }

    public long windowStart() {
        return windowStart;
    }
}
