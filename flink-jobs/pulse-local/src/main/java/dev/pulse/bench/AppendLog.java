package dev.pulse.bench;

import java.util.Arrays;

/**
 * The page views the latency mode wrote: for each, its series window key and the time Kafka appended it (the
 * broker's LogAppendTime, from the producer's acknowledgement). Grows as acknowledgements come in; thread-safe.
 */
final class AppendLog {
    private long[] keys = new long[1 << 16];
    private long[] appendedAt = new long[1 << 16];
    private int size;

    synchronized void add(long key, long appendMillis) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            appendedAt = Arrays.copyOf(appendedAt, size * 2);
        }
        keys[size] = key;
        appendedAt[size] = appendMillis;
        size++;
    }

    synchronized int size() {
        return size;
    }

    synchronized long key(int i) {
        return keys[i];
    }

    synchronized long appendedAt(int i) {
        return appendedAt[i];
    }
}
