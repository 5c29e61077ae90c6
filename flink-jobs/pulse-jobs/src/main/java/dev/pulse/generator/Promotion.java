package dev.pulse.generator;

import java.time.Duration;

/**
 * A promotion spike: from {@code at} after the start, for {@code duration}, sessions (and with them every
 * stream) arrive {@code factor} times faster than the base load. Real flash sales jump 10-50x at the minute
 * they open, so the step is sharp, not a ramp.
 */
public record Promotion(Duration at, Duration duration, double factor) {

    public Promotion {
        if (at == null || at.isNegative()) {
            throw new IllegalArgumentException("promotion start offset must not be negative, was " + at);
        }
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("promotion duration must be positive, was " + duration);
        }
        if (!(factor >= 1)) {
            throw new IllegalArgumentException("promotion factor must be at least 1, was " + factor);
        }
    }
}
