package dev.pulse.window;

import java.io.Serializable;

/** What one event adds to the sums of its key: e.g. PV adds 1 to its channel and platform. */
@FunctionalInterface
public interface Contribution<T> extends Serializable {

    /** Calls {@code to.add} for each key the event counts for (usually one); nothing if it counts for none. */
    void addTo(T event, Sink to);

    /** Receives increments: one per sum, in the family's order (a key may have any number of sums). */
    interface Sink {
        void add(String key, long... increments);

        /** Adds to one sum of the key. */
        void addAt(String key, int slot, long increment);

        /** Adds to one sum of the key in this window and the {@code windows - 1} windows after it. */
        void addAt(String key, int slot, long increment, int windows);
    }
}
