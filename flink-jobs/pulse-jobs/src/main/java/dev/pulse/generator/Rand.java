package dev.pulse.generator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;

/**
 * Distributions on top of {@link SplittableRandom}, with {@link StrictMath} so a seed gives the same numbers on
 * every JVM and platform (the library's own Gaussian and {@code Math.log} do not promise that).
 */
final class Rand {
    private Rand() {}

    static boolean chance(SplittableRandom r, double p) {
        return r.nextDouble() < p;
    }

    /** Uniform in [lo, hi) milliseconds. */
    static long millis(SplittableRandom r, long lo, long hi) {
        return lo + (long) (r.nextDouble() * (hi - lo));
    }

    static long seconds(SplittableRandom r, double lo, double hi) {
        return millis(r, (long) (lo * 1000), (long) (hi * 1000));
    }

    static long minutes(SplittableRandom r, double lo, double hi) {
        return millis(r, (long) (lo * 60_000), (long) (hi * 60_000));
    }

    static double exponential(SplittableRandom r, double mean) {
        return -mean * StrictMath.log(1 - r.nextDouble());
    }

    static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble(); // (0, 1]: the log stays finite
        double v = r.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u)) * StrictMath.cos(2 * StrictMath.PI * v);
    }

    static double logNormal(SplittableRandom r, double median, double sigma) {
        return median * StrictMath.exp(sigma * gaussian(r));
    }

    /** 1 + a geometric count with the given mean of extra steps. */
    static int onePlusGeometric(SplittableRandom r, double meanExtra) {
        double p = 1 / (1 + meanExtra);
        int n = 1;
        while (r.nextDouble() >= p && n < 50) {
            n++;
        }
        return n;
    }

    /** Index drawn with the given (not necessarily normalised) weights. */
    static int weighted(SplittableRandom r, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = r.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    static BigDecimal money(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP);
    }
}
