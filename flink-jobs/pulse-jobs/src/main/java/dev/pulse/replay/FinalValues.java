package dev.pulse.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the last final value of each series and window (a late event's correction replaces the first final
 * value) and lists them ordered by window start, then series, so two replays of the same input are identical.
 * The replay keeps its alerts the same way, by alert id and in the order they fired.
 */
public final class FinalValues {
    private final Map<String, ReplayRecord> latest = new HashMap<>();

    public void add(ReplayRecord record) {
        latest.put(record.key, record);
    }

    public int size() {
        return latest.size();
    }

    public List<ReplayRecord> ordered() {
        List<ReplayRecord> records = new ArrayList<>(latest.values());
        records.sort(Comparator.comparingLong((ReplayRecord r) -> r.windowStart).thenComparing(r -> r.key));
        return records;
    }
}
