package dev.pulse.local;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops what was started, in reverse order of starting, once, with a time bound per step: a step that hangs
 * is left behind (and reported) so that the ones after it still run and the process can exit. Safe to run from
 * a shutdown hook and from the main thread at once; the second caller waits for the first to finish.
 */
final class ShutdownSequence {

    /** Stops one component. */
    @FunctionalInterface
    interface Step {
        void stop() throws Exception;
    }

    /** What happened to one step. */
    record Outcome(String name, String result) {}

    private record Entry(String name, Duration bound, Step step) {}

    private final Deque<Entry> steps = new ArrayDeque<>();
    private final PrintStream report;
    private List<Outcome> outcomes;

    /** @param report where each step's outcome is printed as it happens */
    ShutdownSequence(PrintStream report) {
        this.report = report;
    }

    /**
     * Registers a component just started; it is stopped before everything registered earlier. A component
     * that finished starting after the sequence ran (Ctrl-C during the start) is stopped at once.
     */
    synchronized void add(String name, Duration bound, Step step) {
        Entry entry = new Entry(name, bound, step);
        if (outcomes != null) {
            report.println("  stopped " + name + ": " + runBounded(entry));
            return;
        }
        steps.push(entry);
    }

    /** Runs every step, last added first; later calls return the first call's outcomes. */
    synchronized List<Outcome> run() {
        if (outcomes != null) {
            return outcomes;
        }
        List<Outcome> done = new ArrayList<>();
        while (!steps.isEmpty()) {
            Entry entry = steps.pop();
            Outcome outcome = new Outcome(entry.name(), runBounded(entry));
            report.println("  stopped " + outcome.name() + ": " + outcome.result());
            done.add(outcome);
        }
        outcomes = List.copyOf(done);
        return outcomes;
    }

    private static String runBounded(Entry entry) {
        long start = System.nanoTime();
        // a daemon thread of its own, so a step that never returns cannot keep the JVM alive
        CompletableFuture<Void> future = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                entry.step().stop();
                future.complete(null);
            } catch (Throwable t) { // whatever one step throws is its outcome; the next steps still run
                future.completeExceptionally(t);
            }
        }, "pulse-stop-" + entry.name().replace(' ', '-'));
        thread.setDaemon(true);
        thread.start();
        try {
            future.get(entry.bound().toMillis(), TimeUnit.MILLISECONDS);
            return String.format(Locale.ROOT, "ok (%.1f s)", (System.nanoTime() - start) / 1e9);
        } catch (TimeoutException e) {
            thread.interrupt();
            return String.format(Locale.ROOT, "gave up after %.1f s", entry.bound().toMillis() / 1e3);
        } catch (ExecutionException e) {
            return "failed: " + e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
