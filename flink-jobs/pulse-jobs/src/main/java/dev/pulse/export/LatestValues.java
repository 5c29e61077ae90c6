package dev.pulse.export;

import dev.pulse.catalog.MetricDefinition;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the exporter shows for each series (one metric, one set of label values): the final value of the newest
 * closed window and the running value of the newest window still open.
 *
 * <p>Rules, so the big screen never goes back in time:
 * <ul>
 *   <li>a final value replaces the shown final value when its window is the same (a late correction) or newer;
 *       a final value for an older window is ignored;</li>
 *   <li>a final value for window W also ends the running value of any window up to W: that minute is closed;</li>
 *   <li>a running value is taken only for a window newer than the newest final window and not older than the
 *       running window shown (the live topic is at-least-once and may deliver an update after its final).</li>
 * </ul>
 * Staleness is not decided here but at scrape time ({@link LatestValuesCollector}); entries keep the newest window
 * seen even while hidden, so a straggler for an older window cannot reappear after a pause.
 *
 * <p>One writer (the consumer thread) and occasional readers (scrapes): a plain monitor is enough.
 */
final class LatestValues {

    /** One series: a catalog metric and its label values in {@link MetricDefinition#labels()} order. */
    record SeriesKey(MetricDefinition definition, List<String> labelValues) {
        SeriesKey {
            labelValues = List.copyOf(labelValues);
        }
    }

    /** One value of one window, and when the job wrote it (what staleness is measured from). */
    record Reading(Instant windowStart, Instant windowEnd, double value, Instant receivedAt) {}

    /** The shown values of one series; either may be null. */
    record Series(Reading last, Reading current) {}

    enum Outcome {
        /** A new series beyond the most the exporter keeps: dropped, and counted by the caller. */
        OVER_CAPACITY,
        /** The value belongs to a newer window than the one shown (or the first one). */
        NEW_WINDOW,
        /** The value replaces the shown value of the same window. */
        SAME_WINDOW,
        /** The value was older than what is shown and was dropped. */
        IGNORED
    }

    private final Map<SeriesKey, Series> series = new HashMap<>();
    private final int maxSeries;

    /** @param maxSeries the most series kept: a label value run wild must not take the exporter's memory */
    LatestValues(int maxSeries) {
        this.maxSeries = maxSeries;
    }

    /** Offers the final value of a closed window. */
    synchronized Outcome offerFinal(SeriesKey key, Reading reading) {
        Series shown = series.get(key);
        if (shown == null && series.size() >= maxSeries) {
            return Outcome.OVER_CAPACITY;
        }
        Reading last = shown == null ? null : shown.last();
        Reading current = shown == null ? null : shown.current();
        Outcome outcome = compare(reading, last);
        if (outcome == Outcome.IGNORED) {
            return outcome;
        }
        if (current != null && !current.windowStart().isAfter(reading.windowStart())) {
            current = null;
        }
        series.put(key, new Series(reading, current));
        return outcome;
    }

    /** Offers a running value of a window that is still open. */
    synchronized Outcome offerRunning(SeriesKey key, Reading reading) {
        Series shown = series.get(key);
        if (shown == null && series.size() >= maxSeries) {
            return Outcome.OVER_CAPACITY;
        }
        Reading last = shown == null ? null : shown.last();
        Reading current = shown == null ? null : shown.current();
        if (last != null && !reading.windowStart().isAfter(last.windowStart())) {
            return Outcome.IGNORED;
        }
        Outcome outcome = compare(reading, current);
        if (outcome != Outcome.IGNORED) {
            series.put(key, new Series(last, reading));
        }
        return outcome;
    }

    /** Runs {@code updates} with no scrape in between: values offered together show together. */
    synchronized void together(Runnable updates) {
        updates.run();
    }

    /** A copy for one scrape. */
    synchronized Map<SeriesKey, Series> snapshot() {
        return Map.copyOf(series);
    }

    /**
     * Forgets series with no update since {@code cutoff}, so label values that stopped occurring (a campaign that
     * ended) do not accumulate over weeks. Choose a cutoff far beyond any allowed lateness: a forgotten series
     * accepts any window again.
     */
    synchronized void forgetUpdatedBefore(Instant cutoff) {
        series.values().removeIf(s -> isBefore(s.last(), cutoff) && isBefore(s.current(), cutoff));
    }

    private static boolean isBefore(Reading reading, Instant cutoff) {
        return reading == null || reading.receivedAt().isBefore(cutoff);
    }

    private static Outcome compare(Reading offered, Reading shown) {
        if (shown == null || offered.windowStart().isAfter(shown.windowStart())) {
            return Outcome.NEW_WINDOW;
        }
        return offered.windowStart().equals(shown.windowStart()) ? Outcome.SAME_WINDOW : Outcome.IGNORED;
    }
}
