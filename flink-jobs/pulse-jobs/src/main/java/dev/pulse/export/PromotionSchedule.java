package dev.pulse.export;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The promotions the operators have announced, as intervals of wall-clock time: the exporter serves
 * {@code pulse_promotion_active} 1 inside one, so that the anomaly alert rules expect the spike (and the slump of
 * the baseline after it) instead of paging on it.
 */
public record PromotionSchedule(List<Interval> intervals) {
    public static final PromotionSchedule NONE = new PromotionSchedule(List.of());

    /** From {@code start} inclusive to {@code end} exclusive. */
    public record Interval(Instant start, Instant end) {
        public Interval {
            if (!end.isAfter(start)) {
                throw new IllegalArgumentException("a promotion must end after it starts: " + start + "/" + end);
            }
        }

        /** {@code 2026-11-11T00:00+08:00/2026-11-12T00:00+08:00}: two ISO date-times with offsets. */
        public static Interval parse(String text) {
            String[] parts = text.split("/");
            if (parts.length != 2) {
                throw new IllegalArgumentException("a promotion is START/END, e.g. "
                        + "2026-11-11T00:00+08:00/2026-11-12T00:00+08:00; got '" + text + "'");
            }
            try {
                return new Interval(OffsetDateTime.parse(parts[0]).toInstant(), OffsetDateTime.parse(parts[1]).toInstant());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("a promotion's start and end are ISO date-times with an offset, "
                        + "e.g. 2026-11-11T00:00+08:00; got '" + text + "'", e);
            }
        }
    }

    public PromotionSchedule {
        intervals = List.copyOf(intervals);
    }

    public boolean activeAt(Instant t) {
        return intervals.stream().anyMatch(i -> !t.isBefore(i.start()) && t.isBefore(i.end()));
    }
}
