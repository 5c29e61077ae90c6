package dev.pulse.generator;

import java.util.SplittableRandom;

/**
 * Arrival times of a Poisson process whose rate is a base rate times the load profile. Each gap draws one unit
 * exponential and spends it across the piecewise-constant rate, so the process is exact at the edges of a
 * promotion instead of jumping a whole gap at the old rate.
 */
final class PoissonArrivals {
    private final LoadProfile load;
    private final double perMilli;
    private final SplittableRandom random;
    private long next;

    PoissonArrivals(LoadProfile load, double perMinute, long from, SplittableRandom random) {
        this.load = load;
        this.perMilli = perMinute / 60_000.0;
        this.random = random;
        this.next = perMilli > 0 ? after(from) : Long.MAX_VALUE;
    }

    /** The next arrival not yet taken. */
    long peek() {
        return next;
    }

    /** Takes the next arrival and draws the one after it. */
    long take() {
        long t = next;
        next = after(t);
        return t;
    }

    private long after(long from) {
        double budget = Rand.exponential(random, 1.0);
        double t = from;
        while (true) {
            double rate = perMilli * load.factorAt((long) t);
            long change = load.nextChangeAfter((long) t);
            double reach = t + budget / rate;
            if (reach < change) {
                return (long) reach;
            }
            budget -= (change - t) * rate;
            t = change;
        }
    }
}
