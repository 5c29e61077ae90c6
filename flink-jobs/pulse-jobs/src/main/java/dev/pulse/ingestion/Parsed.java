package dev.pulse.ingestion;

import dev.pulse.model.DeadLetter;
import java.util.Objects;

/** The outcome of reading one input record: the event, or a dead letter saying why there is none. */
public class Parsed<T> {
    public T event;
    public DeadLetter deadLetter;

    public Parsed() {}

    public static <T> Parsed<T> ok(T event) {
        Parsed<T> p = new Parsed<>();
        p.event = event;
        return p;
    }

    public static <T> Parsed<T> rejected(DeadLetter deadLetter) {
        Parsed<T> p = new Parsed<>();
        p.deadLetter = deadLetter;
        return p;
    }

    public boolean isValid() {
        return event != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parsed && Objects.equals(event, ((Parsed<?>) o).event)
                && Objects.equals(deadLetter, ((Parsed<?>) o).deadLetter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(event, deadLetter);
    }

    @Override
    public String toString() {
        return isValid() ? "Parsed{" + event + "}" : "Parsed{" + deadLetter + "}";
    }
}
