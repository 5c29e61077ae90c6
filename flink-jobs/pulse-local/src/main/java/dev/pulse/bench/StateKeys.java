package dev.pulse.bench;

import dev.pulse.config.PulseSettings;
import dev.pulse.model.Stream;
import dev.pulse.time.Period;
import java.util.HashSet;
import java.util.Set;

/**
 * What the admission operator of each stream should be tracking once the job has read all input, recomputed
 * from the generated events: the ids still remembered (those whose minute's end + allowed lateness + the
 * de-duplication horizon lies beyond the watermark, taken as the stream's newest event time less the
 * out-of-orderness) and the visitors they belong to. The state's size per tracked id and per tracked visitor
 * follow from these.
 */
record StateKeys(long ids, long visitors) {

    static StateKeys tracked(BenchInput.Loaded input, Stream stream, PulseSettings settings) {
        long[] times = input.eventTimes().get(stream);
        long[] keys = input.visitors().get(stream);
        long newest = Long.MIN_VALUE;
        for (long t : times) {
            newest = Math.max(newest, t);
        }
        long watermark = newest - settings.outOfOrderness.toMillis() - 1;
        long ids = 0;
        Set<Long> visitors = new HashSet<>();
        for (int i = 0; i < times.length; i++) {
            long forgetAt = Period.MINUTE.end(times[i], settings.timeZone) - 1 + settings.allowedLateness.toMillis()
                    + settings.dedupHorizon.toMillis();
            if (forgetAt > watermark) {
                ids++;
                visitors.add(keys[i]);
            }
        }
        return new StateKeys(ids, visitors.size());
    }

    /** The stream whose admission operator a task (a chain of operators) holds, or null. */
    static Stream admittedStream(String task) {
        for (Stream s : Stream.values()) {
            if (task.startsWith("admit-" + s.code())) {
                return s;
            }
        }
        return null;
    }
}
