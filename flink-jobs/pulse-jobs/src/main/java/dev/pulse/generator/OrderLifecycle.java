package dev.pulse.generator;

import static dev.pulse.model.OrderEvent.CANCELLED;
import static dev.pulse.model.OrderEvent.CREATED;
import static dev.pulse.model.OrderEvent.PAID;
import static dev.pulse.model.OrderEvent.PAYMENT_FAILED;
import static dev.pulse.model.OrderEvent.REFUNDED;

import java.math.BigDecimal;
import java.util.SplittableRandom;

/**
 * What happens to an order after checkout: payment (with failures and retries), cancellation of unpaid
 * orders, and cancellations and refunds of paid ones. Refunds come 10 to 60 minutes after payment instead of
 * days, so a demo of an hour shows them (docs/generator.md).
 */
final class OrderLifecycle {
    static final String[] METHODS = {"alipay", "wechat_pay", "union_pay", "credit_card", "cash_on_delivery"};
    private static final double[] METHOD_SHARES = {0.50, 0.35, 0.07, 0.05, 0.03};

    /** Created orders never paid: closed automatically after the payment deadline. */
    static final double ABANDONED = 0.04;
    /** Created orders the user cancels before paying. */
    static final double CANCELLED_UNPAID = 0.02;
    static final double FIRST_PAYMENT_SUCCESS = 0.92;
    static final double RETRY_AFTER_FAILURE = 0.7;
    static final double RETRY_SUCCESS = 0.85;
    static final int MAX_ATTEMPTS = 3;
    static final double CANCELLED_AFTER_PAYMENT = 0.015;
    static final double REFUNDED_AFTER_PAYMENT = 0.06;

    void run(long createdAt, Order order, SplittableRandom r, Emitter emitter) {
        emitter.order(createdAt, order, CREATED, null);
        long deadline = createdAt + Rand.minutes(r, 15, 30);
        double fate = r.nextDouble();
        if (fate < ABANDONED) {
            emitter.order(deadline, order, CANCELLED, null);
            return;
        }
        if (fate < ABANDONED + CANCELLED_UNPAID) {
            emitter.order(createdAt + Rand.minutes(r, 1, 10), order, CANCELLED, null);
            return;
        }
        String method = method(r);
        long t = createdAt + Rand.seconds(r, 10, 120);
        double success = FIRST_PAYMENT_SUCCESS;
        for (int attempt = 1; ; attempt++) {
            if (Rand.chance(r, success)) {
                emitter.order(t, order, PAID, method);
                afterPayment(t, order, method, r, emitter);
                return;
            }
            emitter.order(t, order, PAYMENT_FAILED, method);
            if (attempt == MAX_ATTEMPTS || !Rand.chance(r, RETRY_AFTER_FAILURE)) {
                emitter.order(Math.max(deadline, t + 60_000), order, CANCELLED, null);
                return;
            }
            t += Rand.seconds(r, 20, 180);
            if (Rand.chance(r, 0.4)) {
                method = method(r); // trying another wallet or card
            }
            success = RETRY_SUCCESS;
        }
    }

    private static void afterPayment(long paidAt, Order order, String method, SplittableRandom r, Emitter emitter) {
        double fate = r.nextDouble();
        if (fate < CANCELLED_AFTER_PAYMENT) {
            emitter.order(paidAt + Rand.minutes(r, 2, 30), order, CANCELLED, method);
        } else if (fate < CANCELLED_AFTER_PAYMENT + REFUNDED_AFTER_PAYMENT) {
            long at = paidAt + Rand.minutes(r, 10, 60);
            if (Rand.chance(r, 0.7)) {
                emitter.order(at, order, REFUNDED, method);
            } else {
                // a partial return: part of the money, fewer items
                BigDecimal part = Rand.money(order.amount().doubleValue() * (0.2 + 0.6 * r.nextDouble()));
                int items = order.itemCount() > 1 ? 1 + r.nextInt(order.itemCount() - 1) : 1;
                emitter.order(at, order, REFUNDED, part, items, method);
            }
        }
    }

    static String method(SplittableRandom r) {
        return METHODS[Rand.weighted(r, METHOD_SHARES)];
    }
}
