package dev.pulse.risk;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * One risk rule's settings (see {@link RiskRule} for what threshold and window mean per rule).
 *
 * @param suppression after firing on a key, the rule stays quiet on that key for this long in event time
 * @param cap an absolute amount, only for the amount outlier; null elsewhere
 */
public record RuleSettings(boolean enabled, Severity severity, Duration window, Duration suppression,
                           BigDecimal threshold, BigDecimal cap) implements Serializable {

    /** The threshold as a count, for the counting rules. */
    public int count() {
        return threshold.intValueExact();
    }
}
