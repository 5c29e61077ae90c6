package dev.pulse.export;

import dev.pulse.time.Period;
import java.time.Instant;
import java.time.ZoneId;
import java.util.OptionalDouble;

/**
 * GMV today against the day's target, assuming the target accrues linearly over the business day:
 * {@code pace = GMV so far / (target x share of the business day elapsed)}. 1 means on track to reach the
 * target by midnight (in {@code pulse.time-zone}), below 1 behind. Linear is the simplest honest baseline: it
 * needs no hourly profile, at the cost of looking behind in the quiet night hours and ahead in the evening peak.
 *
 * @param target the day's GMV target, in the shop's currency
 * @param dayElapsed share of the business day elapsed, 0 to 1 (a 23 or 25 hour day counts as a day)
 * @param pace the ratio above; {@code null} while there is no GMV in that currency yet, or at the very start of
 *     the day
 */
record GmvPace(double target, double dayElapsed, Double pace) {

    static GmvPace of(double target, OptionalDouble gmvToday, Instant now, ZoneId zone) {
        long nowMillis = now.toEpochMilli();
        long start = Period.DAY.start(nowMillis, zone);
        long end = Period.DAY.end(nowMillis, zone);
        double elapsed = (double) (nowMillis - start) / (end - start);
        Double pace = gmvToday.isPresent() && elapsed > 0 ? gmvToday.getAsDouble() / (target * elapsed) : null;
        return new GmvPace(target, elapsed, pace);
    }
}
