package dev.pulse.bench;

import java.util.Map;

/**
 * How many keys a stateful task holds, from the record counts of its operators: a de-duplication operator keeps
 * one key per record it let through (nothing expires within a benchmark, which is shorter than the horizon).
 * Tasks whose key count the counters cannot tell report none.
 */
final class StateKeys {
    private StateKeys() {}

    static long count(String task, RunResult run) {
        long keys = 0;
        for (Map.Entry<String, Long> op : run.recordsOutByOperator.entrySet()) {
            if (op.getKey().startsWith("dedup-") && task.contains(op.getKey())) {
                keys += op.getValue();
            }
        }
        return keys;
    }
}
