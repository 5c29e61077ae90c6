package dev.pulse.ingestion;

import dev.pulse.config.PulseSettings;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * What an event must meet beyond its schema before it counts: the reporting currency, money in whole cents,
 * amounts and counts within bounds (so no metric can overflow or throw), an event time not too far ahead of the
 * wall clock (so it cannot move the watermark), and a size limit (so one record cannot take the memory).
 */
public record InputRules(String currency, int maxEventBytes, Duration maxFuture, BigDecimal maxAmount,
                         int maxItemCount) implements Serializable {

    public static InputRules from(PulseSettings settings) {
        return new InputRules(settings.currency, settings.maxEventBytes, settings.maxFuture, settings.maxAmount,
                settings.maxItemCount);
    }

    /** The configured defaults, with this reporting currency. */
    public static InputRules defaults(String currency) {
        PulseSettings d = PulseSettings.defaults();
        return new InputRules(currency, d.maxEventBytes, d.maxFuture, d.maxAmount, d.maxItemCount);
    }
}
