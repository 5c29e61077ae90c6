package dev.pulse.generator;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Holds each event back until it may be written. Realtime: until the clock reaches the event's arrival time.
 * Rate: the k-th event (from 0) not before {@code first + k / rate}, so no second holds more than {@code rate}
 * events. Fast: never waits. Waits are cut into slices so a stop request is seen within {@link #SLICE}.
 */
final class Pacer {
    static final Duration SLICE = Duration.ofMillis(200);

    /** Called once before each wait, so output is flushed while the generator has nothing to do. */
    interface Idle {
        void beforeWait() throws Exception;
    }

    private final Pacing pacing;
    private final PacingClock clock;
    private Instant firstWrite;
    private long count;

    Pacer(Pacing pacing, PacingClock clock) {
        this.pacing = pacing;
        this.clock = clock;
    }

    /** Waits for the event's turn; false if {@code stopped} became true meanwhile. */
    boolean awaitTurn(GeneratedEvent e, BooleanSupplier stopped, Idle idle) throws Exception {
        Instant due = due(e);
        count++;
        if (due == null) {
            return !stopped.getAsBoolean();
        }
        boolean waited = false;
        while (true) {
            if (stopped.getAsBoolean()) {
                return false;
            }
            Duration left = Duration.between(clock.now(), due);
            if (left.isNegative() || left.isZero()) {
                return true;
            }
            if (!waited) {
                idle.beforeWait();
                waited = true;
            }
            clock.sleep(left.compareTo(SLICE) < 0 ? left : SLICE);
        }
    }

    /** When the event may be written; null: at once. */
    private Instant due(GeneratedEvent e) {
        return switch (pacing.mode()) {
            case REALTIME -> e.arrivalTime();
            case RATE -> {
                if (firstWrite == null) {
                    firstWrite = clock.now();
                }
                yield firstWrite.plusNanos((long) (count * 1e9 / pacing.eventsPerSecond()));
            }
            case FAST -> null;
        };
    }
}
