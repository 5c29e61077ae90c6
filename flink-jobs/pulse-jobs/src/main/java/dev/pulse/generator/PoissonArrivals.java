package dev.pulse.generator;

import java.util.SplittableRandom;

/**
 * Arrival times of a Poisson process whose rate is a base rate times the load profile. Each gap draws one unit
 * exponential and spends it across the piecewise-constant rate, so the process is exact at the edges of a
 * promotion instead of jumping a whole gap at the old rate. Arrivals are kept exact (fractions of a millisecond)
 * and only rounded down when read: rounding each one before drawing the next would shorten every gap by half a
 * millisecond on average, which at high rates (a promotion, a benchmark) inflates the rate several times over.
 */
final class PoissonArrivals {
    private final LoadProfile load;
    private final double perMilli;
    private final SplittableRandom random;
    private double next;

    PoissonArrivals(LoadProfile load, double perMinute, long from, SplittableRandom random) {
        this.load = load;
        this.perMilli = perMinute / 60_000.0;
        this.random = random;
        this.next = perMilli > 0 ? after(from) : Double.POSITIVE_INFINITY;
    }

    /** The next arrival not yet taken. */
    long peek() {
        return next >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) next;
    }

    /** Takes the next arrival and draws the one after it. */
    long take() {
        long t = peek();
        next = after(next);
        return t;
    }

    private double after(double from) {
        double budget = Rand.exponential(random, 1.0);
        double t = from;
        while (true) {
            double rate = perMilli * load.factorAt((long) t);
            long change = load.nextChangeAfter((long) t);
            double reach = t + budget / rate;
            if (reach < change) {
                return reach;
            }
            budget -= (change - t) * rate;
            t = change;
        }
    }
}
