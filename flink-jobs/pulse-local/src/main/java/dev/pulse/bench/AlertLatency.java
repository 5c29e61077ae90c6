package dev.pulse.bench;

import dev.pulse.model.AlertRecord;
import dev.pulse.model.OrderEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Alert latency: when the broker appended each order event of a staged fraud incident, and when each alert was
 * first seen on the live (at-least-once) and on the exactly-once alerts topic. An alert's triggering event is the
 * order event at its fired_at of its last evidence order: the event that completed the rule. Thread-safe.
 */
final class AlertLatency {
    private final Map<String, Long> appended = new HashMap<>();
    private final Map<String, long[]> seen = new HashMap<>();
    private final Map<String, String> triggers = new HashMap<>();

    static String trigger(OrderEvent o) {
        return o.orderId + "|" + o.eventTime.toEpochMilli();
    }

    static String trigger(AlertRecord a) {
        return a.evidence.orderIds.get(a.evidence.orderIds.size() - 1) + "|"
                + Instant.parse(a.firedAt).toEpochMilli();
    }

    synchronized void appended(String trigger, long appendMillis) {
        appended.putIfAbsent(trigger, appendMillis);
    }

    /** @param exactlyOnce seen on the exactly-once topic (read_committed), else on the live one */
    synchronized void seen(AlertRecord a, boolean exactlyOnce, long atMillis) {
        long[] at = seen.computeIfAbsent(a.alertId, id -> new long[] {-1, -1});
        int i = exactlyOnce ? 1 : 0;
        if (at[i] < 0) {
            at[i] = atMillis;
        }
        triggers.putIfAbsent(a.alertId, trigger(a));
    }

    /** For each alert whose triggering event was appended in [from, to]: from that append to its first sighting. */
    synchronized LatencyBench.Figures figures(boolean exactlyOnce, long from, long to) {
        List<Long> latencies = new ArrayList<>();
        long notSeen = 0;
        for (Map.Entry<String, String> e : triggers.entrySet()) {
            Long append = appended.get(e.getValue());
            if (append == null || append < from || append > to) {
                continue;
            }
            long at = seen.get(e.getKey())[exactlyOnce ? 1 : 0];
            if (at < 0) {
                notSeen++;
            } else {
                latencies.add(Math.max(0, at - append));
            }
        }
        return new LatencyBench.Figures(Stats.sorted(latencies.stream().mapToLong(Long::longValue).toArray()),
                notSeen);
    }
}
