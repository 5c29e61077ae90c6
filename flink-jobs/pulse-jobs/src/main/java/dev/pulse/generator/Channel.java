package dev.pulse.generator;

import java.util.SplittableRandom;

/**
 * Traffic channels with their share of sessions and how their visitors move through the funnel.
 * {@code bounce}: the session is a single page view. {@code cart}: an engaged session adds to the cart.
 * {@code checkout}: a session with a cart creates an order. {@code deepLink}: the visit lands on a product
 * page instead of a page view. Live streams convert best, social and ads bounce most (see docs/generator.md).
 */
enum Channel {
    ORGANIC("organic", 0.30, 0.35, 0.18, 0.40, 0.2),
    SEARCH("search", 0.18, 0.45, 0.19, 0.40, 0.8),
    PAID_ADS("paid_ads", 0.16, 0.50, 0.19, 0.40, 0.6),
    SOCIAL("social", 0.12, 0.55, 0.14, 0.35, 0.7),
    LIVE_STREAM("live_stream", 0.14, 0.25, 0.24, 0.45, 0.0),
    PUSH_EMAIL("push_email", 0.10, 0.45, 0.17, 0.40, 0.3);

    final String code;
    final double share;
    final double bounce;
    final double cart;
    final double checkout;
    final double deepLink;

    Channel(String code, double share, double bounce, double cart, double checkout, double deepLink) {
        this.code = code;
        this.share = share;
        this.bounce = bounce;
        this.cart = cart;
        this.checkout = checkout;
        this.deepLink = deepLink;
    }

    private static final Channel[] ALL = values();
    private static final double[] SHARES = new double[ALL.length];

    static {
        for (int i = 0; i < ALL.length; i++) {
            SHARES[i] = ALL[i].share;
        }
    }

    /** A first-time visitor cannot come from a push or an e-mail: they get an organic visit instead. */
    static Channel pick(SplittableRandom r, boolean registered) {
        Channel c = ALL[Rand.weighted(r, SHARES)];
        return c == PUSH_EMAIL && !registered ? ORGANIC : c;
    }
}
