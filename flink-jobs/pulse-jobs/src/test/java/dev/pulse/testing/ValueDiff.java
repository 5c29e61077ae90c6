package dev.pulse.testing;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.TreeMap;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Compares two sets of values key by key, and on a difference says which keys differ (not two huge maps). */
public final class ValueDiff {
    private ValueDiff() {}

    public static void assertSame(Map<String, Double> actual, Map<String, Double> expected) {
        List<String> differences = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(actual.keySet());
        keys.addAll(expected.keySet());
        for (String key : keys) {
            Double a = actual.get(key);
            Double e = expected.get(key);
            if (a == null || !a.equals(e)) {
                differences.add(key + ": got " + a + ", expected " + e);
            }
        }
        assertThat(differences).as(differences.size() + " of " + keys.size() + " values differ; the first: "
                + differences.subList(0, Math.min(40, differences.size()))).isEmpty();
    }

    /**
     * The values (keyed {@code series@windowStart}) of the windows that start before the business day of
     * {@code instant}: those an event at that instant closes, so final and complete in an unbounded run.
     */
    public static Map<String, Double> windowsBefore(Map<String, Double> values, Instant instant, ZoneId zone) {
        Instant day = instant.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
        Map<String, Double> before = new TreeMap<>();
        values.forEach((key, value) -> {
            if (OffsetDateTime.parse(key.substring(key.lastIndexOf('@') + 1)).toInstant().isBefore(day)) {
                before.put(key, value);
            }
        });
        return before;
    }
}
