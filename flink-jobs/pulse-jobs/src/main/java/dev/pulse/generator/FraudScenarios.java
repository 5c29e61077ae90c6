package dev.pulse.generator;

import static dev.pulse.model.OrderEvent.CANCELLED;
import static dev.pulse.model.OrderEvent.CREATED;
import static dev.pulse.model.OrderEvent.PAID;
import static dev.pulse.model.OrderEvent.PAYMENT_FAILED;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Stages one abusive pattern per incident, clearly past its rule's threshold, so each incident should fire its
 * alert exactly once. Every event of an incident carries the label {@code fraud:<rule>}. Beside them, as many
 * lookalikes: ordinary customers who come near a rule without crossing it (label {@code lookalike:<kind>}), the
 * cases a rule that is too eager would page on. Both use their own accounts, devices and id namespace, so
 * switching fraud on leaves the ordinary traffic untouched. The margins (counts and time spans) are listed in
 * docs/generator.md. Only incidents that end inside the run's event-time span are staged, so every labelled
 * incident is complete.
 */
final class FraudScenarios {
    /** Ordinary behaviour near a rule. */
    enum Lookalike {
        /** A family: 2-4 accounts order from one shared tablet within an hour (shared device needs 5). */
        FAMILY_DEVICE,
        /** One buyer sends 3-4 orders within 10 min to home and office (multi-address needs 3 addresses). */
        HOME_AND_OFFICE,
        /** Two orders of 80-300 CNY, then a big one of 3-8 times their mean, below the cap (the outlier needs 10). */
        BIG_ORDER;

        String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Lookalike[] LOOKALIKES = Lookalike.values();
    private static final long LOOKALIKE_SPAN = 60 * 60_000L;

    private static final FraudRule[] RULES = FraudRule.values();
    /** Staged outliers start here: far above any ordinary basket of the catalog (a few thousand CNY at most). */
    static final double OUTLIER_MIN_AMOUNT = 30_000;

    private final Catalog catalog;
    private final EventTimeline timeline;
    private final Ids ids;
    private final SplittableRandom r;
    private final long end;

    FraudScenarios(Catalog catalog, EventTimeline timeline, Ids ids, SplittableRandom random, long endExclusive) {
        this.catalog = catalog;
        this.timeline = timeline;
        this.ids = ids;
        this.r = random;
        this.end = endExclusive;
    }

    void stage(long t) {
        FraudRule rule = RULES[r.nextInt(RULES.length)];
        if (t > end - rule.span.toMillis()) {
            // a cut-off incident would carry labels its rule never fires on
            return;
        }
        Emitter em = new Emitter(timeline, ids, Labels.fraud(rule));
        switch (rule) {
            case MULTI_ADDRESS -> multiAddress(t, em);
            case SHARED_DEVICE -> sharedOrigin(t, em, ids.next(Ids.Kind.DEVICE), null);
            case SHARED_IP -> sharedOrigin(t, em, null, UserBase.ip(r.nextLong()));
            case BURST -> burst(t, em);
            case AMOUNT_OUTLIER -> amountOutlier(t, em);
            case CANCEL_CHURN -> cancelChurn(t, em);
            case PAYMENT_FAILURE_STREAK -> paymentFailureStreak(t, em);
            case COUPON_ABUSE -> couponAbuse(t, em);
        }
    }

    /** One lookalike, if it ends inside the run. */
    void stageLookalike(long t) {
        if (t > end - LOOKALIKE_SPAN) {
            return;
        }
        Lookalike kind = LOOKALIKES[r.nextInt(LOOKALIKES.length)];
        Emitter em = new Emitter(timeline, ids, Labels.lookalike(kind));
        switch (kind) {
            case FAMILY_DEVICE -> {
                String tablet = ids.next(Ids.Kind.DEVICE);
                int members = 2 + r.nextInt(3);
                for (int i = 0; i < members; i++) {
                    Visit v = account(t, em, tablet, null, false);
                    createAndPay(t + Rand.seconds(r, 20, 60), basket(v, ids.next(Ids.Kind.ADDRESS)), em);
                    t += Rand.minutes(r, 3, 12);
                }
            }
            case HOME_AND_OFFICE -> {
                Visit v = account(t, em, null, null, false);
                String[] places = {ids.next(Ids.Kind.ADDRESS), ids.next(Ids.Kind.ADDRESS)};
                int n = 3 + r.nextInt(2);
                t += Rand.seconds(r, 20, 60);
                for (int i = 0; i < n; i++) {
                    // like-priced baskets: an ordinary buyer, far from the amount outlier too
                    createAndPay(t, order(v, places[i % 2], 80 + 220 * r.nextDouble()), em);
                    t += Rand.seconds(r, 60, 150);
                }
            }
            case BIG_ORDER -> {
                Visit v = account(t, em, null, null, false);
                String address = ids.next(Ids.Kind.ADDRESS);
                t += Rand.seconds(r, 30, 60);
                double sum = 0;
                for (int i = 0; i < 2; i++) {
                    double amount = 80 + 220 * r.nextDouble();
                    sum += amount;
                    createAndPay(t, order(v, address, amount), em);
                    t += Rand.minutes(r, 5, 15);
                }
                createAndPay(t, order(v, address, sum / 2 * (3 + 5 * r.nextDouble())), em);
            }
        }
    }

    /** 3-4 orders to distinct addresses, created within 7.5 min (rule: 3+ within 10 min). */
    private void multiAddress(long t, Emitter em) {
        Visit v = account(t, em, null, null, false);
        int n = FraudRule.MULTI_ADDRESS.threshold() + r.nextInt(2);
        t += Rand.seconds(r, 20, 60);
        for (int i = 0; i < n; i++) {
            Order o = basket(v, ids.next(Ids.Kind.ADDRESS));
            createAndPay(t, o, em);
            t += Rand.seconds(r, 60, 150);
        }
    }

    /** 5-7 accounts order from one device or one ip, created within 49 min (rule: 5+ users within 1 h). */
    private void sharedOrigin(long t, Emitter em, String device, String ip) {
        int n = FraudRule.SHARED_DEVICE.threshold() + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            Visit v = account(t, em, device, ip, false);
            Order o = basket(v, ids.next(Ids.Kind.ADDRESS));
            createAndPay(t + Rand.seconds(r, 20, 60), o, em);
            t += Rand.minutes(r, 3, 8);
        }
    }

    /** 5-7 orders created within 48 s (rule: 5+ within 1 min). */
    private void burst(long t, Emitter em) {
        Visit v = account(t, em, null, null, false);
        String address = ids.next(Ids.Kind.ADDRESS);
        int n = FraudRule.BURST.threshold() + r.nextInt(3);
        t += Rand.seconds(r, 10, 30);
        for (int i = 0; i < n; i++) {
            Order o = basket(v, address);
            em.order(t, o, CREATED, null);
            if (Rand.chance(r, 0.5)) {
                em.order(t + Rand.seconds(r, 60, 120), o, PAID, OrderLifecycle.method(r));
            }
            t += Rand.seconds(r, 4, 8);
        }
    }

    /** Two ordinary paid orders, then one of 30,000-60,000 CNY: 100x the user's history and above any cap. */
    private void amountOutlier(long t, Emitter em) {
        Visit v = account(t, em, null, null, false);
        String address = ids.next(Ids.Kind.ADDRESS);
        t += Rand.seconds(r, 30, 60);
        for (int i = 0; i < 2; i++) {
            createAndPay(t, order(v, address, 80 + 220 * r.nextDouble()), em);
            t += Rand.minutes(r, 5, 15);
        }
        createAndPay(t, order(v, address, OUTLIER_MIN_AMOUNT * (1 + r.nextDouble())), em);
    }

    /** An order of the given amount, no discount. */
    private Order order(Visit v, String address, double amount) {
        return new Order(ids.next(Ids.Kind.ORDER), v.userId, Rand.money(amount), BigDecimal.ZERO.setScale(2),
                1 + r.nextInt(3), address, v.channel.code, v.platform, v.deviceId(), v.ip);
    }

    /** 3-4 orders each cancelled unpaid 1-4 min after creation, all within 19 min (rule: 3+ within 30 min). */
    private void cancelChurn(long t, Emitter em) {
        Visit v = account(t, em, null, null, false);
        String address = ids.next(Ids.Kind.ADDRESS);
        int n = FraudRule.CANCEL_CHURN.threshold() + r.nextInt(2);
        t += Rand.seconds(r, 20, 60);
        for (int i = 0; i < n; i++) {
            Order o = basket(v, address);
            em.order(t, o, CREATED, null);
            em.order(t + Rand.minutes(r, 1, 4), o, CANCELLED, null);
            t += Rand.minutes(r, 2, 5);
        }
    }

    /** 5-7 failed payments within 8 min, then the order is cancelled (rule: 5+ within 10 min). */
    private void paymentFailureStreak(long t, Emitter em) {
        Visit v = account(t, em, null, null, false);
        Order o = basket(v, ids.next(Ids.Kind.ADDRESS));
        t += Rand.seconds(r, 20, 60);
        em.order(t, o, CREATED, null);
        int n = FraudRule.PAYMENT_FAILURE_STREAK.threshold() + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            t += Rand.seconds(r, 30, 80);
            em.order(t, o, PAYMENT_FAILED, OrderLifecycle.METHODS[r.nextInt(4)]);
        }
        em.order(t + Rand.minutes(r, 1, 5), o, CANCELLED, null);
    }

    /** A freshly registered account pays an order with an 82-95 % discount (rule: above 80 %). */
    private void couponAbuse(long t, Emitter em) {
        Visit v = account(t, em, null, null, true);
        Order full = basket(v, ids.next(Ids.Kind.ADDRESS));
        BigDecimal discount = Rand.money(full.amount().doubleValue() * (0.82 + 0.13 * r.nextDouble()));
        Order o = new Order(full.orderId(), v.userId, full.amount().subtract(discount), discount, full.itemCount(),
                full.addressHash(), full.channel(), full.platform(), full.deviceId(), full.ip());
        createAndPay(t + Rand.minutes(r, 1, 4), o, em);
    }

    /** A fresh account (its own device and ip unless shared) that logs in, or registers, at {@code t}. */
    private Visit account(long t, Emitter em, String device, String ip, boolean register) {
        String platform = UserBase.PLATFORMS[Rand.weighted(r, UserBase.PLATFORM_SHARES)];
        Visitor visitor = new Visitor(ids.next(Ids.Kind.USER), device != null ? device : ids.next(Ids.Kind.DEVICE),
                platform, ip != null ? ip : UserBase.ip(r.nextLong()), new String[0]);
        Channel channel = Rand.chance(r, 0.5) ? Channel.ORGANIC : Channel.SOCIAL;
        Visit v = new Visit(visitor, ids.next(Ids.Kind.SESSION), channel, null, visitor.homeIp(), visitor.userId());
        em.click(t, v, register ? "register" : "login", register ? "/register" : "/login", null);
        return v;
    }

    /**
     * An ordinary-looking basket of 1-2 catalog items of 40-150 CNY each: like-priced, so that an incident of one
     * rule never looks like an amount outlier by chance (the catalog's prices span two orders of magnitude).
     */
    private Order basket(Visit v, String address) {
        int units = 1 + r.nextInt(2);
        BigDecimal subtotal = BigDecimal.ZERO;
        for (int i = 0; i < units; i++) {
            BigDecimal price = catalog.pick(r).price();
            for (int tries = 0; tries < 100 && (price.doubleValue() < 40 || price.doubleValue() > 150); tries++) {
                price = catalog.pick(r).price();
            }
            subtotal = subtotal.add(price);
        }
        return Order.of(ids.next(Ids.Kind.ORDER), v, address, subtotal, BigDecimal.ZERO.setScale(2), units);
    }

    private void createAndPay(long t, Order o, Emitter em) {
        em.order(t, o, CREATED, null);
        em.order(t + Rand.seconds(r, 20, 60), o, PAID, OrderLifecycle.method(r));
    }
}
