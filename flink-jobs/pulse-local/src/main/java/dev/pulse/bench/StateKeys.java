package dev.pulse.bench;

import dev.pulse.config.PulseSettings;
import dev.pulse.model.Stream;
import dev.pulse.time.Period;
import java.util.HashSet;
import java.util.Set;

/**
 * What a stateful operator should be tracking once the job has read all input, recomputed from the generated
 * events, the watermark taken as the stream's newest event time less the out-of-orderness: for a stream's
 * admission, the ids still remembered (those whose minute's end + allowed lateness + the de-duplication horizon
 * lies beyond the watermark) and the visitors they belong to; for the users family's per-visitor operator, the
 * visitors with a click in a business day that can still change (its end + the allowed lateness beyond the
 * watermark). The state's size per tracked id and per tracked visitor follow from these.
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

    /** The visitors the users family's per-visitor operator holds. */
    static StateKeys visitorDays(BenchInput.Loaded input, PulseSettings settings) {
        long[] times = input.eventTimes().get(Stream.CLICK);
        long[] keys = input.visitors().get(Stream.CLICK);
        long newest = Long.MIN_VALUE;
        for (long t : times) {
            newest = Math.max(newest, t);
        }
        long watermark = newest - settings.outOfOrderness.toMillis() - 1;
        Set<Long> visitors = new HashSet<>();
        for (int i = 0; i < times.length; i++) {
            if (Period.DAY.end(times[i], settings.timeZone) - 1 + settings.allowedLateness.toMillis() > watermark) {
                visitors.add(keys[i]);
            }
        }
        return new StateKeys(0, visitors.size());
    }

    /** The keys of an operator, by uid; null where the recomputation does not know what it keys. */
    static StateKeys of(String uid, BenchInput.Loaded input, PulseSettings settings) {
        if (uid.equals("visitor-activity")) {
            return visitorDays(input, settings);
        }
        for (Stream s : Stream.values()) {
            if (uid.equals("admit-" + s.code())) {
                return tracked(input, s, settings);
            }
        }
        return null;
    }
}
