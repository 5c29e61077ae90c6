package dev.pulse.bench;

import java.util.Map;

/**
 * Consumer lag as the spike and recovery modes define it: for each input partition, its log-end offset (the
 * offset the next appended record gets) minus the position of the job's source (the offset after the last record
 * it emitted, from the source's {@code currentOffset} gauge), summed. Unknown (-1) while a partition holds records
 * but its source reported no position yet (before the first record, and after a restart until its first record).
 * Committed group offsets are not used: they move only when a checkpoint completes.
 */
final class ConsumerLag {
    private ConsumerLag() {}

    /**
     * @param endOffsets log-end offset by "topic/partition"
     * @param currentOffsets offset of the last record each source partition emitted, by "topic/partition" (-1: none)
     * @return records not read yet, or -1 if unknown
     */
    static long of(Map<String, Long> endOffsets, Map<String, Long> currentOffsets) {
        long lag = 0;
        for (Map.Entry<String, Long> e : endOffsets.entrySet()) {
            long end = e.getValue();
            Long current = currentOffsets.get(e.getKey());
            if (current == null || current < 0) {
                if (end > 0) {
                    return -1;
                }
                continue;
            }
            lag += Math.max(0, end - (current + 1));
        }
        return lag;
    }

    /** Records the sources have read: the sum of their positions (a partition without a position counts 0). */
    static long read(Map<String, Long> currentOffsets) {
        long read = 0;
        for (long current : currentOffsets.values()) {
            read += Math.max(0, current + 1);
        }
        return read;
    }
}
