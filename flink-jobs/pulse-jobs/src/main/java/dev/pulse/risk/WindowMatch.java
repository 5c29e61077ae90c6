package dev.pulse.risk;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.IntToLongFunction;

/**
 * Finds the events that make a counting rule fire: the earliest moment T, among the key's counted events, at which
 * the window of the rule's length ending at T holds the event just added and at least the threshold of distinct
 * values. Judged on event times, so the same events give the same firing (and alert id) whatever order they came
 * in, unless a firing already made is earlier than one a late event would have made.
 */
final class WindowMatch {
    private WindowMatch() {}

    /**
     * @param counts which of the key's events the rule counts
     * @param distinctBy what makes two counted events different (an order, an address, a user)
     * @return the indexes of the counted events in the window ending at T (the last is at T), or null when no
     *     window reaches the threshold
     */
    static int[] find(RiskMarks m, IntPredicate counts, IntToLongFunction distinctBy, long added, long windowMs,
                      int threshold) {
        for (int end = 0; end < m.size(); end++) {
            long t = m.at[end];
            if (!counts.test(end) || t < added) {
                continue;
            }
            if (t > added + windowMs) {
                break;
            }
            while (end + 1 < m.size() && m.at[end + 1] == t) {
                end++; // events at the same time as T are in its window
            }
            Set<Long> distinct = new HashSet<>();
            int n = 0;
            int[] in = new int[m.size()];
            for (int i = 0; i <= end; i++) {
                if (m.at[i] >= t - windowMs && counts.test(i)) {
                    distinct.add(distinctBy.applyAsLong(i));
                    in[n++] = i;
                }
            }
            if (distinct.size() >= threshold) {
                return Arrays.copyOf(in, n);
            }
        }
        return null;
    }

    /** How many distinct values the matched events have. */
    static int distinct(int[] matched, IntToLongFunction distinctBy) {
        Set<Long> values = new HashSet<>();
        for (int i : matched) {
            values.add(distinctBy.applyAsLong(i));
        }
        return values.size();
    }
}
