package dev.pulse.generator;

/** The load multiplier over event time: 1 outside a promotion, the promotion's factor inside it. */
final class LoadProfile {
    private final long promotionStart;
    private final long promotionEnd;
    private final double factor;

    LoadProfile(long startMillis, Promotion promotion) {
        if (promotion == null) {
            promotionStart = Long.MAX_VALUE;
            promotionEnd = Long.MAX_VALUE;
            factor = 1;
        } else {
            promotionStart = startMillis + promotion.at().toMillis();
            promotionEnd = promotionStart + promotion.duration().toMillis();
            factor = promotion.factor();
        }
    }

    double factorAt(long t) {
        return t >= promotionStart && t < promotionEnd ? factor : 1;
    }

    boolean inPromotion(long t) {
        return t >= promotionStart && t < promotionEnd;
    }

    /** The next time after {@code t} at which the factor changes (Long.MAX_VALUE if never). */
    long nextChangeAfter(long t) {
        if (t < promotionStart) {
            return promotionStart;
        }
        return t < promotionEnd ? promotionEnd : Long.MAX_VALUE;
    }
}
