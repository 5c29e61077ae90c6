package dev.pulse.generator;

/**
 * Runs a generator into a writer at the configured pace until the event-time span ends or {@link #stop()} is
 * called (from any thread; seen within a fraction of a second even while waiting for the clock). Flushes the
 * writer whenever it waits and at the end; closing the writer is the caller's job. A failing write ends the
 * run with an {@link IllegalStateException}.
 */
public final class GeneratorRunner implements Runnable {
    private final GeneratorSettings settings;
    private final EventWriter writer;
    private final GeneratorStats stats;
    private final PacingClock clock;
    private volatile boolean stopped;

    public GeneratorRunner(GeneratorSettings settings, EventWriter writer, GeneratorStats stats) {
        this(settings, writer, stats, PacingClock.SYSTEM);
    }

    GeneratorRunner(GeneratorSettings settings, EventWriter writer, GeneratorStats stats, PacingClock clock) {
        this.settings = settings;
        this.writer = writer;
        this.stats = stats;
        this.clock = clock;
    }

    @Override
    public void run() {
        // "now" for the start comes from the same clock the pacer waits on
        TrafficGenerator generator = new TrafficGenerator(settings, clock::now);
        Pacer pacer = new Pacer(settings.pacing, clock);
        try {
            while (!stopped && generator.hasNext()) {
                GeneratedEvent e = generator.next();
                if (!pacer.awaitTurn(e, () -> stopped, writer::flush)) {
                    break;
                }
                writer.write(e);
                stats.record(e);
            }
            writer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("generator stopped: " + e.getMessage(), e);
        }
    }

    /** Asks the run to end after the line it is writing. */
    public void stop() {
        stopped = true;
    }
}
