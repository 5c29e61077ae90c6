package dev.pulse.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** What the figures were measured on, and at which commit. */
final class Machine {
    private Machine() {}

    static String describe() {
        int cores = Runtime.getRuntime().availableProcessors();
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() : -1;
        return String.format(Locale.ROOT, "%d cores (%s), %.1f GiB memory, %s %s, %s %s", cores, cpuModel(),
                memory / (1024.0 * 1024 * 1024), System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("java.vm.name"), System.getProperty("java.version"));
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // not every system has it
        }
        return System.getProperty("os.arch");
    }

    /**
     * The short commit of the working folder, with "+ uncommitted changes" when the tree differs from it. Read it
     * when the measurement starts: the code measured is the code built then.
     */
    static String commit() {
        String head = git("rev-parse", "--short", "HEAD");
        if (head == null) {
            return "unknown (not a git checkout)";
        }
        String status = git("status", "--porcelain", "--untracked-files=no");
        return head + (status == null || status.isEmpty() ? "" : " + uncommitted changes");
    }

    private static String git(String... args) {
        try {
            List<String> command = new ArrayList<>(List.of("git"));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? output : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
