package dev.pulse.window;

/** Part of one window's value for one key, added up before the shuffle to the key's window. */
public interface WindowPartial {
    String key();

    long windowStart();
}
