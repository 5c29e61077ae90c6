package dev.pulse.generator;

/**
 * How fast events are written. {@code REALTIME}: an event is written when the wall clock reaches its arrival
 * time (use with a start of "now"). {@code RATE}: at most {@code eventsPerSecond} events per second over all
 * streams. {@code FAST}: as fast as the writer takes them.
 */
public record Pacing(Mode mode, double eventsPerSecond) {

    public enum Mode { REALTIME, RATE, FAST }

    public Pacing {
        if (mode == null) {
            throw new IllegalArgumentException("pacing mode must be set");
        }
        if (mode == Mode.RATE && !(eventsPerSecond > 0)) {
            throw new IllegalArgumentException("rate pacing needs a positive number of events per second, was "
                    + eventsPerSecond);
        }
    }

    public static Pacing realtime() {
        return new Pacing(Mode.REALTIME, 0);
    }

    public static Pacing rate(double eventsPerSecond) {
        return new Pacing(Mode.RATE, eventsPerSecond);
    }

    public static Pacing fast() {
        return new Pacing(Mode.FAST, 0);
    }

    @Override
    public String toString() {
        return mode == Mode.RATE ? "rate " + eventsPerSecond + "/s" : mode.name().toLowerCase(java.util.Locale.ROOT);
    }
}
