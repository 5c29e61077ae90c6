package dev.pulse.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * Numbers the page-view series (channel and platform) and packs a series and its minute into one long key, so
 * the latency mode can keep millions of events in arrays instead of objects. Thread-safe.
 */
final class SeriesWindows {
    private static final long MINUTE = 60_000;

    private final Map<String, Integer> ids = new HashMap<>();

    synchronized int series(String channel, String platform) {
        return ids.computeIfAbsent(channel + "|" + platform, k -> ids.size());
    }

    static long key(int series, long eventTimeMillis) {
        return Math.floorDiv(eventTimeMillis, MINUTE) << 16 | series;
    }

    static long windowStart(long key) {
        return (key >> 16) * MINUTE;
    }

    static long windowEnd(long key) {
        return windowStart(key) + MINUTE;
    }
}
