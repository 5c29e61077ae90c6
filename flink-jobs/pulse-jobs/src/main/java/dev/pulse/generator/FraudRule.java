package dev.pulse.generator;

import dev.pulse.risk.RiskRule;
import java.time.Duration;

/**
 * The risk rules the generator can stage, one labelled incident at a time, each past its {@link RiskRule}'s
 * default threshold within its window. {@code span} bounds how long an incident of the rule takes from its first
 * to its last event (see {@link FraudScenarios}).
 */
enum FraudRule {
    MULTI_ADDRESS(RiskRule.MULTI_ADDRESS, 10),
    SHARED_DEVICE(RiskRule.SHARED_DEVICE, 55),
    SHARED_IP(RiskRule.SHARED_IP, 55),
    BURST(RiskRule.BURST, 5),
    AMOUNT_OUTLIER(RiskRule.AMOUNT_OUTLIER, 35),
    CANCEL_CHURN(RiskRule.CANCEL_CHURN, 25),
    PAYMENT_FAILURE_STREAK(RiskRule.PAYMENT_FAILURE_STREAK, 20),
    COUPON_ABUSE(RiskRule.COUPON_ABUSE, 10);

    final RiskRule rule;
    final Duration span;

    FraudRule(RiskRule rule, int spanMinutes) {
        this.rule = rule;
        this.span = Duration.ofMinutes(spanMinutes);
    }

    String code() {
        return rule.code();
    }

    /** The rule's default threshold, as a count (the counting rules). */
    int threshold() {
        return rule.defaults().count();
    }
}
