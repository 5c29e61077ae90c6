package dev.pulse.time;

import dev.pulse.config.PulseSettings;
import java.io.Serializable;
import java.time.Duration;

/**
 * What a metric family needs to know about time, and nothing else of the settings: the business time zone, how
 * late an event may be and still correct a value, and how often open windows send running values.
 */
public record TimePolicy(BusinessTime businessTime, Duration allowedLateness, Duration updateInterval)
        implements Serializable {

    public static TimePolicy from(PulseSettings settings) {
        return new TimePolicy(new BusinessTime(settings.timeZone), settings.allowedLateness, settings.updateInterval);
    }

    /** The same, for windows that stay open longer (a value known only later, or restated later). */
    public TimePolicy withLateness(Duration lateness) {
        return new TimePolicy(businessTime, lateness, updateInterval);
    }
}
