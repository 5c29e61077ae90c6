package dev.pulse.generator;

import java.time.Duration;
import java.util.Locale;

/**
 * The risk rules of the metrics catalog that the generator can stage, one labelled incident at a time.
 * Codes match the engine's alert rule names (snake_case). Shared device and shared ip are one catalog rule,
 * staged separately because the engine keys them differently. {@code span} bounds how long an incident of the
 * rule takes from its first to its last event (see {@link FraudScenarios}).
 */
enum FraudRule {
    /** One user orders to 3+ distinct addresses within 10 min. */
    MULTI_ADDRESS(10),
    /** 5+ distinct users order from one device within 1 h. */
    SHARED_DEVICE(55),
    /** 5+ distinct users order from one ip within 1 h. */
    SHARED_IP(55),
    /** One user creates 5+ orders within 1 min. */
    BURST(5),
    /** An order far above the user's own history and above any sane absolute cap. */
    AMOUNT_OUTLIER(35),
    /** One user cancels 3+ freshly created orders within 30 min. */
    CANCEL_CHURN(25),
    /** 5+ failed payments of one user within 10 min. */
    PAYMENT_FAILURE_STREAK(20),
    /** A brand-new account pays with a discount above 80 %. */
    COUPON_ABUSE(10);

    final Duration span;

    FraudRule(int spanMinutes) {
        this.span = Duration.ofMinutes(spanMinutes);
    }

    String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
