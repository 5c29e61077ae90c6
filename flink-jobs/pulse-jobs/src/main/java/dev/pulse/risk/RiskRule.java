package dev.pulse.risk;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/**
 * The risk rules of the metrics catalog ("Abnormal orders"), each defined here once with its default settings:
 * the engine evaluates them, the generator stages incidents past them, the tests recompute them. The catalog's
 * shared device / ip is two rules, because a device and an ip are different keys.
 *
 * <p>What {@code threshold} and {@code window} mean depends on the rule: a count or distinct count reached within
 * the window for the counting rules; for {@link #AMOUNT_OUTLIER} the factor over the mean of the user's paid
 * orders within the window (its history), beside an absolute {@code cap}; for {@link #COUPON_ABUSE} the share of the
 * full price given as discount, by an account registered at most the window before paying.
 */
public enum RiskRule {
    /** One user orders to {@code threshold} distinct shipping addresses within the window. */
    MULTI_ADDRESS(KeyKind.USER, "distinct shipping addresses of one user's orders",
            new RuleSettings(true, Severity.WARNING, Duration.ofMinutes(10), Duration.ofHours(1), bd(3), null)),
    /** {@code threshold} distinct users order from one device within the window. */
    SHARED_DEVICE(KeyKind.DEVICE, "distinct users ordering from one device",
            new RuleSettings(true, Severity.WARNING, Duration.ofHours(1), Duration.ofHours(6), bd(5), null)),
    /** {@code threshold} distinct users order from one ip within the window. */
    SHARED_IP(KeyKind.IP, "distinct users ordering from one ip",
            new RuleSettings(true, Severity.WARNING, Duration.ofHours(1), Duration.ofHours(6), bd(5), null)),
    /** One user creates {@code threshold} orders within the window. */
    BURST(KeyKind.USER, "orders created by one user",
            new RuleSettings(true, Severity.WARNING, Duration.ofMinutes(1), Duration.ofMinutes(30), bd(5), null)),
    /** An order above {@code cap}, or above {@code threshold} times the mean of the user's paid orders. */
    AMOUNT_OUTLIER(KeyKind.USER, "order amount against the user's paid orders and the cap",
            new RuleSettings(true, Severity.CRITICAL, Duration.ofDays(30), Duration.ofHours(24), bd(10),
                    bd(20_000))),
    /** One user cancels {@code threshold} orders, never paid, within the window. */
    CANCEL_CHURN(KeyKind.USER, "unpaid orders cancelled by one user",
            new RuleSettings(true, Severity.WARNING, Duration.ofMinutes(30), Duration.ofHours(6), bd(3), null)),
    /** {@code threshold} failed payments of one user within the window. */
    PAYMENT_FAILURE_STREAK(KeyKind.USER, "failed payments of one user",
            new RuleSettings(true, Severity.CRITICAL, Duration.ofMinutes(10), Duration.ofHours(1), bd(5), null)),
    /** An account registered at most the window ago pays with a discount above {@code threshold} of the price. */
    COUPON_ABUSE(KeyKind.USER, "discount share of a brand-new account's paid order",
            new RuleSettings(true, Severity.CRITICAL, Duration.ofHours(24), Duration.ofHours(24),
                    new BigDecimal("0.8"), null));

    /** What a rule is keyed by. A user and a device are personal data: the alert carries them hashed. */
    public enum KeyKind {
        USER, DEVICE, IP;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final KeyKind keyKind;
    private final String measures;
    private final RuleSettings defaults;

    RiskRule(KeyKind keyKind, String measures, RuleSettings defaults) {
        this.keyKind = keyKind;
        this.measures = measures;
        this.defaults = defaults;
    }

    /** The rule's name in alert records, the rules file and the {@code rule} label. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public KeyKind keyKind() {
        return keyKind;
    }

    /** What the threshold is compared with, for the docs and the alert's detail. */
    public String measures() {
        return measures;
    }

    public RuleSettings defaults() {
        return defaults;
    }

    /** Whether the threshold is a number of orders, users, addresses or payments (a whole number). */
    public boolean counts() {
        return this != AMOUNT_OUTLIER && this != COUPON_ABUSE;
    }

    public static RiskRule of(String code) {
        for (RiskRule rule : values()) {
            if (rule.code().equals(code)) {
                return rule;
            }
        }
        throw new IllegalArgumentException("no risk rule '" + code + "'");
    }

    private static BigDecimal bd(long value) {
        return BigDecimal.valueOf(value);
    }
}
