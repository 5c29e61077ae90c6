package dev.pulse.risk;

import dev.pulse.model.AlertRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.IntToLongFunction;
import org.apache.flink.util.TimeUtils;

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

    /**
     * A counting rule on the event just added: its alert when a window reaches the threshold and the rule is not
     * suppressed on the key (the firing is then noted in {@code m}), else null. The evidence is the window's orders.
     */
    static AlertRecord fire(RiskMarks m, RiskRule rule, RuleSettings s, IntPredicate counts,
                            IntToLongFunction distinctBy, long added, String key, AlertMaker alerts) {
        long windowMs = s.window().toMillis();
        int[] matched = find(m, counts, distinctBy, added, windowMs, s.count());
        if (matched == null) {
            return null;
        }
        long last = m.at[matched[matched.length - 1]];
        if (m.suppressed(rule, last, s.suppression().toMillis())) {
            return null;
        }
        m.fired(rule, last);
        List<String> ids = new ArrayList<>();
        Set<Long> values = new HashSet<>();
        for (int i : matched) {
            if (!ids.contains(m.orderIds[i])) {
                ids.add(m.orderIds[i]);
            }
            values.add(distinctBy.applyAsLong(i));
        }
        return alerts.alert(rule, s, key, last - windowMs, last, last, ids, values.size(), null,
                values.size() + " " + rule.measures() + " within " + TimeUtils.formatWithHighestUnit(s.window()));
    }
}
