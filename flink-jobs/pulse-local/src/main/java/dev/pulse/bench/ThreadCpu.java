package dev.pulse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * CPU time of every thread of this JVM as Linux accounts it ({@code /proc/self/task}), native threads included:
 * RocksDB's flushes and compactions, the JIT compilers and GC, which a JFR profile does not sample. Threads are
 * read every few seconds and remembered after they end (a task's thread ends with its input); what they used
 * before the measurement starts (the first reading after the first record) is left out. Threads are grouped by
 * their Linux name (the first 15 characters of the Java name, without a trailing number): the two subtasks of an
 * operator chain count together.
 */
final class ThreadCpu implements AutoCloseable {
    private static final Path TASKS = Path.of("/proc/self/task");
    /** Reading ~300 threads' files costs this thread about 20 ms: every 3 s keeps it under 1 % of a core. */
    private static final long EVERY_SECONDS = 3;
    /** Linux's clock ticks per second (USER_HZ), 100 on every usual kernel. */
    private static final double TICKS_PER_SECOND = 100;

    record Reading(String name, long ticks) {}

    private final Map<Long, Reading> latest = new ConcurrentHashMap<>();
    private final Map<Long, Long> atStart = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-thread-cpu");
        t.setDaemon(true);
        return t;
    });

    private volatile boolean started;

    /**
     * Starts reading, or returns null where there is no {@code /proc} (the report then has no such table).
     *
     * @param measuring whether what threads use counts from now on (checked at each reading)
     */
    static ThreadCpu start(BooleanSupplier measuring) {
        if (!Files.isDirectory(TASKS)) {
            return null;
        }
        ThreadCpu cpu = new ThreadCpu();
        cpu.timer.scheduleAtFixedRate(() -> {
            cpu.read();
            if (!cpu.started && measuring.getAsBoolean()) {
                cpu.latest.forEach((tid, r) -> cpu.atStart.put(tid, r.ticks));
                cpu.started = true;
            }
        }, 0, EVERY_SECONDS, TimeUnit.SECONDS);
        return cpu;
    }

    /** CPU seconds since measuring started, by thread group, after a last reading. */
    Map<String, Double> secondsByThread() {
        read();
        Map<String, Double> seconds = new TreeMap<>();
        latest.forEach((tid, r) -> {
            long ticks = r.ticks - atStart.getOrDefault(tid, 0L);
            if (ticks > 0) {
                seconds.merge(group(r.name), ticks / TICKS_PER_SECOND, Double::sum);
            }
        });
        return seconds;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private synchronized void read() {
        try (Stream<Path> tasks = Files.list(TASKS)) {
            tasks.forEach(task -> {
                try {
                    Reading r = parse(Files.readString(task.resolve("stat")));
                    if (r != null) {
                        latest.put(Long.parseLong(task.getFileName().toString()), r);
                    }
                } catch (IOException | RuntimeException ended) {
                    // the thread ended between listing and reading: its last reading stays
                }
            });
        } catch (IOException e) {
            // nothing read this time; the next reading catches up (the figures are cumulative)
        }
    }

    /**
     * One {@code stat} line: {@code tid (name) state ...}, user and system ticks the 14th and 15th fields. The
     * name may hold spaces and parentheses, so fields are counted from its last ')'.
     */
    static Reading parse(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            return null;
        }
        String[] fields = stat.substring(close + 2).trim().split(" ");
        if (fields.length < 13) {
            return null;
        }
        return new Reading(stat.substring(open + 1, close), Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
    }

    /** A thread's group: its name without a trailing number ({@code GC Thread#1}, {@code pool-3-thread-2}). */
    static String group(String name) {
        return name.replaceFirst("[#-]?\\d+$", "").strip();
    }
}
