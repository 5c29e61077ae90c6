package dev.pulse.generator;

import java.time.Duration;
import java.time.Instant;

/** The wall clock as the pacer sees it; tests replace it with a clock that moves only when asked to sleep. */
interface PacingClock {

    Instant now();

    void sleep(Duration d) throws InterruptedException;

    PacingClock SYSTEM = new PacingClock() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            Thread.sleep(Math.max(1, d.toMillis()));
        }
    };
}
