package dev.pulse.local;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus or Alertmanager from the distribution's packages as a child process of the demo, on a loopback
 * port, its output in a log file: started, waited for until {@code /-/ready} answers, stopped on close.
 */
final class MonitoringServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);

    private final String name;
    private final Process process;
    private final Path log;
    private final int port;

    private MonitoringServer(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** The first of the names that is an executable on PATH (Debian calls Alertmanager prometheus-alertmanager). */
    static Optional<Path> onPath(String... names) {
        return onSearchPath(System.getenv().getOrDefault("PATH", ""), names);
    }

    /** The same on a search path of the caller's (a test's). */
    static Optional<Path> onSearchPath(String path, String... names) {
        for (String name : names) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Starts the command and waits until the server answers on {@code port}; one that does not is stopped. */
    static MonitoringServer start(String name, List<String> command, Path log, int port)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        MonitoringServer server = new MonitoringServer(name, process, log, port);
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (!server.isReady()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IllegalStateException(name + (process.isAlive() ? " did not get ready within "
                        + READY_WITHIN.toSeconds() + " s" : " exited with " + process.exitValue())
                        + "; its output is in " + log);
            }
            TimeUnit.MILLISECONDS.sleep(200); // polling a child process's readiness: nothing to wait on instead
        }
        return server;
    }

    URI url() {
        return URI.create("http://" + LocalPorts.HOST + ":" + port);
    }

    Path log() {
        return log;
    }

    private boolean isReady() throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(url().resolve("/-/ready")).timeout(Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return name + " " + url();
    }
}
