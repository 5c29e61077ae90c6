package dev.pulse.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When which value of which series and window became visible somewhere (a topic, the exporter's page):
 * (series window key, time, value) triples, in the order they were seen. Thread-safe.
 */
final class Sightings {
    record Sighting(long key, long atMillis, double value) {}

    private final List<Sighting> seen = new ArrayList<>();

    synchronized void add(long key, long atMillis, double value) {
        seen.add(new Sighting(key, atMillis, value));
    }

    synchronized List<Sighting> all() {
        return List.copyOf(seen);
    }

    /** The newest window of the series in which this exact value was seen; -1 if none. */
    synchronized long newestKeyWithValue(int series, double value) {
        long best = -1;
        for (int i = seen.size() - 1; i >= 0; i--) {
            Sighting s = seen.get(i);
            if ((s.key() & 0xFFFF) == series && s.value() == value && s.key() > best) {
                best = s.key();
            }
        }
        return best;
    }

    /**
     * For each key, the times at which a value reached each count: element k-1 of the list is the first time a
     * value of at least k was visible (values are counts, so a visible k includes the first k events).
     */
    static Map<Long, long[]> firstTimeOfEachCount(List<Sighting> sightings) {
        Map<Long, List<Sighting>> byKey = new HashMap<>();
        for (Sighting s : sightings) {
            byKey.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s);
        }
        Map<Long, long[]> result = new HashMap<>();
        byKey.forEach((key, list) -> {
            list.sort(Comparator.comparingLong(Sighting::atMillis));
            int max = (int) list.stream().mapToDouble(Sighting::value).max().orElse(0);
            long[] first = new long[max];
            int reached = 0;
            for (Sighting s : list) {
                while (reached < (int) s.value()) {
                    first[reached++] = s.atMillis();
                }
            }
            result.put(key, first);
        });
        return result;
    }
}
