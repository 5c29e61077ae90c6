package dev.pulse.generator;

/** Where generated lines go: one destination per stream, plus the labels of injected lines. */
public interface EventWriter extends AutoCloseable {

    void write(GeneratedEvent e) throws Exception;

    /** Makes everything written so far durable/visible (the runner calls it when it waits and at the end). */
    void flush() throws Exception;
}
