package dev.pulse.generator;

import dev.pulse.model.Stream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Merges what the traffic sources schedule into one stream in event-time order. A source creates all events of
 * a session (or incident) when it starts, never earlier than its start time, so an event may be released as
 * soon as no source can start before it. Events at or after the end are dropped: the run's event-time span is
 * exact.
 */
final class EventTimeline {

    /** Something that starts sessions or incidents at times it knows in advance. */
    interface Source {
        /** When the next start happens (Long.MAX_VALUE: never). */
        long nextStart();

        /** Starts it: schedules its events (all at or after {@link #nextStart()}) and moves to the next. */
        void fire();
    }

    private final PriorityQueue<PendingEvent> pending =
            new PriorityQueue<>(Comparator.comparingLong(PendingEvent::time).thenComparingLong(PendingEvent::seq));
    private final List<Source> sources = new ArrayList<>();
    private final long end;
    private long seq;

    EventTimeline(long endExclusive) {
        this.end = endExclusive;
    }

    void addSource(Source source) {
        sources.add(source);
    }

    void schedule(long time, Stream stream, String key, Object event, String eventId, String label) {
        if (time < end) {
            pending.add(new PendingEvent(time, seq++, stream, key, event, eventId, label));
        }
    }

    /** The next event in event-time order, or null when the run is over. */
    PendingEvent next() {
        while (true) {
            Source first = null;
            long firstStart = Long.MAX_VALUE;
            for (Source s : sources) {
                long t = s.nextStart();
                if (t < firstStart) {
                    firstStart = t;
                    first = s;
                }
            }
            if (first == null || firstStart >= end) {
                return pending.poll();
            }
            PendingEvent head = pending.peek();
            if (head != null && head.time() <= firstStart) {
                return pending.poll();
            }
            first.fire();
        }
    }
}
