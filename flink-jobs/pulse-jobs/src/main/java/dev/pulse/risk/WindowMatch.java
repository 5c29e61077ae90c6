package dev.pulse.risk;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.IntToLongFunction;

/**
 * Finds the events that make a counting rule fire: a window of the rule's length, holding the event just added,
 * in which the counted events have at least the threshold of distinct values. The earliest such window wins, so
 * the same events give the same window (and alert id) whatever order they came in.
 */
final class WindowMatch {
    private WindowMatch() {}

    /**
     * @param counts which of the key's events the rule counts
     * @param distinctBy what makes two counted events different (an order, an address, a user)
     * @return the indexes of the counted events in the window, or null when no window reaches the threshold
     */
    static int[] find(RiskMarks m, IntPredicate counts, IntToLongFunction distinctBy, long added, long windowMs,
                      int threshold) {
        for (int s = 0; s < m.size(); s++) {
            long start = m.at[s];
            if (!counts.test(s) || start < added - windowMs) {
                continue;
            }
            if (start > added) {
                break;
            }
            Set<Long> distinct = new HashSet<>();
            int n = 0;
            int[] in = new int[m.size()];
            for (int i = s; i < m.size() && m.at[i] <= start + windowMs; i++) {
                if (counts.test(i)) {
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
